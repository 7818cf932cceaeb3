"""Follows (with notification settings) and analysis jobs through the API."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gitinsight.security.roles import Action
from ingestion.models import Repository
from workspace.api.serializers import FollowInput, FollowOutput, JobInput, JobOutput
from workspace.models import AnalysisJob
from workspace.services.jobs import JobOptionsDenied, job_enqueue
from workspace.services.notifications import repository_follow, repository_unfollow


def _repository(request: Request, repository_id: int) -> Repository:
    return get_object_or_404(Repository.objects.visible_to(request.user), pk=repository_id)


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
