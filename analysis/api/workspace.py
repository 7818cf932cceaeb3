"""Follows (with notification settings), insights and analysis jobs through the API."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analysis.jobs.registry import job_types
from analysis.jobs.services import JobOptionsDenied, job_enqueue
from analysis.models import AnalysisJob, Insight, RepositoryFollow, RepositoryStats
from analysis.notifications.services import repository_follow, repository_unfollow
from analysis.stats import repositories_trending
from gitinsight.roles import Action
from gitinsight.selectors import visible_to
from ingestion.models import Repository


class FollowInput(serializers.Serializer):
    notification_settings = serializers.JSONField(required=False)


class FollowOutput(serializers.ModelSerializer):
    class Meta:
        model = RepositoryFollow
        fields = ["repository", "followed_at", "notification_settings"]


class InsightOutput(serializers.ModelSerializer):
    class Meta:
        model = Insight
        fields = ["id", "repository", "type", "title", "description", "confidence_score", "data", "tags",
                  "model_version", "generated_at"]


class JobInput(serializers.Serializer):
    type = serializers.CharField()
    options = serializers.JSONField(required=False, default=dict)

    def validate_type(self, value: str) -> str:
        if value not in job_types():
            raise serializers.ValidationError(f"unknown job type; choose one of {sorted(job_types())}")
        return value


class JobOutput(serializers.ModelSerializer):
    class Meta:
        model = AnalysisJob
        fields = ["id", "repository", "type", "status", "progress", "message", "options", "result", "error_message",
                  "attempts", "started_at", "completed_at", "created_at"]


def _repository(request: Request, repository_id: int) -> Repository:
    return get_object_or_404(
        visible_to(Repository.objects.all(), request.user, organization_path="organization"), pk=repository_id
    )


class FollowView(APIView):
    @extend_schema(request=FollowInput, responses=FollowOutput)
    def put(self, request: Request, repository_id: int) -> Response:
        data = FollowInput(data=request.data)
        data.is_valid(raise_exception=True)
        follow = repository_follow(
            user=request.user, repository=_repository(request, repository_id),
            notification_settings=data.validated_data.get("notification_settings"),
        )
        return Response(FollowOutput(follow).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, repository_id: int) -> Response:
        repository_unfollow(user=request.user, repository=_repository(request, repository_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class InsightListView(generics.ListAPIView):
    queryset = Insight.objects.none()  # the model, for the OpenAPI schema; get_queryset answers requests
    serializer_class = InsightOutput
    filterset_fields = ["type"]

    def get_queryset(self):
        repository = _repository(self.request, self.kwargs["repository_id"])
        return Insight.objects.filter(repository=repository).latest_generation().order_by("type")


class JobListCreateView(APIView):
    role_actions = {"post": Action.RUN_JOBS}

    @extend_schema(responses=JobOutput(many=True))
    def get(self, request: Request, repository_id: int) -> Response:
        jobs = AnalysisJob.objects.filter(repository=_repository(request, repository_id))[:50]
        return Response(JobOutput(jobs, many=True).data)

    @extend_schema(request=JobInput, responses={201: JobOutput})
    def post(self, request: Request, repository_id: int) -> Response:
        repository = _repository(request, repository_id)
        self.check_object_permissions(request, repository)
        data = JobInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            job = job_enqueue(repository=repository, type=data.validated_data["type"],
                              options=data.validated_data["options"], by=request.user)
        except JobOptionsDenied as exc:
            raise serializers.ValidationError({"options": [str(exc)]}) from exc
        return Response(JobOutput(job).data, status=status.HTTP_201_CREATED)


class TrendingOutput(serializers.ModelSerializer):
    repository = serializers.IntegerField(source="repository_id")

    class Meta:
        model = RepositoryStats
        fields = ["repository", "full_name", "language", "stars", "forks", "total_insights", "avg_confidence",
                  "latest_insight", "follower_count", "recent_insight_count", "trending_score"]


class TrendingView(APIView):
    """Seed 001's trending repositories among those the caller may see."""

    @extend_schema(responses=TrendingOutput(many=True))
    def get(self, request: Request) -> Response:
        return Response(TrendingOutput(repositories_trending(user=request.user), many=True).data)
