"""Read-only risk API. Every query goes through the visible_to selectors, so another
organization's rows answer 404 like missing ones."""

from rest_framework import generics

from analysis.api.serializers import CommitRiskOutput, ModelVersionOutput, PullRequestRiskOutput
from analysis.models import CommitRiskPrediction, PullRequestRiskPrediction
from analysis.selectors import commit_predictions_visible, model_versions_visible, pull_request_predictions_visible


class CommitRiskView(generics.ListAPIView):
    """Predictions for one commit (by repository id and sha), newest model first."""

    serializer_class = CommitRiskOutput
    queryset = CommitRiskPrediction.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        return commit_predictions_visible(self.request.user).filter(
            commit__repository_id=self.kwargs["repository_id"], commit__sha=self.kwargs["sha"]
        ).select_related("commit__repository").order_by("-model_version__version")


class PullRequestRiskView(generics.ListAPIView):
    """Predictions for one pull request (by repository id and number), newest first."""

    serializer_class = PullRequestRiskOutput
    queryset = PullRequestRiskPrediction.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        return pull_request_predictions_visible(self.request.user).filter(
            pull_request__repository_id=self.kwargs["repository_id"], pull_request__number=self.kwargs["number"]
        ).select_related("pull_request__repository", "riskiest_commit").order_by("-created_at")


class ModelVersionListView(generics.ListAPIView):
    serializer_class = ModelVersionOutput
    filterset_fields = ["repository", "is_active"]

    def get_queryset(self):
        return model_versions_visible(self.request.user).select_related("repository").order_by("-created_at")
