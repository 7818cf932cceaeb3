"""Read-only risk API. Every query goes through the visible_to selectors, so another
organization's rows answer 404 like missing ones."""

import django_filters
from django.shortcuts import get_object_or_404
from rest_framework import generics

from analysis.api.serializers import CommitRiskOutput, ModelVersionOutput, PullRequestRiskOutput
from analysis.models import CommitRiskPrediction, ModelVersion, PullRequestRiskPrediction
from analysis.selectors.risk import (
    commit_predictions_visible,
    commits_visible,
    model_versions_visible,
    pull_request_predictions_visible,
    pull_requests_visible,
)
from ingestion.api.filters import visible_repositories


class CommitRiskView(generics.ListAPIView):
    """Predictions for one commit (by repository id and sha), newest model first."""

    serializer_class = CommitRiskOutput
    queryset = CommitRiskPrediction.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return self.queryset
        # Another organization's commit answers 404 like a missing one, not an empty list.
        commit = get_object_or_404(commits_visible(self.request.user), repository_id=self.kwargs["repository_id"],
                                   sha=self.kwargs["sha"])
        return commit_predictions_visible(self.request.user).filter(commit=commit).select_related(
            "commit__repository").order_by("-model_version__version")


class PullRequestRiskView(generics.ListAPIView):
    """Predictions for one pull request (by repository id and number), newest first."""

    serializer_class = PullRequestRiskOutput
    queryset = PullRequestRiskPrediction.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return self.queryset
        pull_request = get_object_or_404(pull_requests_visible(self.request.user),
                                         repository_id=self.kwargs["repository_id"], number=self.kwargs["number"])
        return pull_request_predictions_visible(self.request.user).filter(pull_request=pull_request).select_related(
            "pull_request__repository", "riskiest_commit").order_by("-created_at")


class ModelVersionFilter(django_filters.FilterSet):
    repository = django_filters.ModelChoiceFilter(queryset=visible_repositories)

    class Meta:
        model = ModelVersion
        fields = ["repository", "is_active"]


class ModelVersionListView(generics.ListAPIView):
    serializer_class = ModelVersionOutput
    filterset_class = ModelVersionFilter

    def get_queryset(self):
        return model_versions_visible(self.request.user).select_related("repository").order_by("-created_at")
