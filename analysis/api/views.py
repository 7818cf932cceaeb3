"""Read-only risk API. Every query starts from `visible_to`, so another organization's rows
answer 404 like missing ones."""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analysis.api.serializers import (
    CommitRiskOutput,
    InsightOutput,
    ModelVersionOutput,
    PullRequestRiskOutput,
    TrendingOutput,
)
from analysis.models import CommitRiskPrediction, Insight, ModelVersion, PullRequestRiskPrediction
from analysis.selectors.insights import repositories_trending
from ingestion.api.filters import visible_repositories
from ingestion.models import Commit, PullRequest, Repository


class CommitRiskView(generics.ListAPIView):
    """Predictions for one commit (by repository id and sha), newest model first."""

    serializer_class = CommitRiskOutput
    queryset = CommitRiskPrediction.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return self.queryset
        # Another organization's commit answers 404 like a missing one, not an empty list.
        commit = get_object_or_404(Commit.objects.visible_to(self.request.user),
                                   repository_id=self.kwargs["repository_id"], sha=self.kwargs["sha"])
        return CommitRiskPrediction.objects.visible_to(self.request.user).filter(commit=commit).select_related(
            "commit__repository", "model_version").order_by("-model_version__version")


class PullRequestRiskView(generics.ListAPIView):
    """Predictions for one pull request (by repository id and number), newest first."""

    serializer_class = PullRequestRiskOutput
    queryset = PullRequestRiskPrediction.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return self.queryset
        pull_request = get_object_or_404(PullRequest.objects.visible_to(self.request.user),
                                         repository_id=self.kwargs["repository_id"], number=self.kwargs["number"])
        return PullRequestRiskPrediction.objects.visible_to(self.request.user).filter(
            pull_request=pull_request).select_related("pull_request__repository", "model_version",
                                                      "riskiest_commit").order_by("-created_at")


class ModelVersionFilter(django_filters.FilterSet):
    repository = django_filters.ModelChoiceFilter(queryset=visible_repositories)

    class Meta:
        model = ModelVersion
        fields = ["repository", "is_active"]


class ModelVersionListView(generics.ListAPIView):
    serializer_class = ModelVersionOutput
    filterset_class = ModelVersionFilter

    def get_queryset(self):
        return ModelVersion.objects.visible_to(self.request.user).select_related("repository").order_by("-created_at")


class InsightListView(generics.ListAPIView):
    queryset = Insight.objects.none()  # the model, for the OpenAPI schema; get_queryset answers requests
    serializer_class = InsightOutput
    filterset_fields = ["type"]

    def get_queryset(self):
        repository = get_object_or_404(Repository.objects.visible_to(self.request.user),
                                       pk=self.kwargs["repository_id"])
        return Insight.objects.filter(repository=repository).latest_generation().order_by("type")


class TrendingView(APIView):
    """Seed 001's trending repositories among those the caller may see."""

    @extend_schema(responses=TrendingOutput(many=True))
    def get(self, request: Request) -> Response:
        return Response(TrendingOutput(repositories_trending(user=request.user), many=True).data)
