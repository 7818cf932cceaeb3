"""REST views of failed-check analyses and PR reviews: one view per operation."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gitinsight.security.roles import Action
from ingestion.models import CheckRun, PullRequest
from triage.failures.api.serializers import (
    CheckAnalysisOutput,
    PullRequestCiOutput,
    PullRequestReviewOutput,
    ReviewFeedbackInput,
    RootCauseConfirmInput,
    RootCauseExampleOutput,
)
from triage.failures.models.analyses import PullRequestReview, ReviewerType
from triage.failures.models.root_causes import RootCauseExample
from triage.failures.selectors import analyses as selectors
from triage.failures.services.feedback import review_feedback_record
from triage.failures.services.root_causes import RootCauseLinesInvalid, root_cause_confirm, root_cause_example_delete


class CheckRunAnalysisView(APIView):
    """The latest analysis of a failed check run, with the excerpt and ranked root-cause lines."""

    @extend_schema(responses=CheckAnalysisOutput)
    def get(self, request: Request, pk: int) -> Response:
        check_run = get_object_or_404(CheckRun.objects.visible_to(request.user), pk=pk)
        analysis = selectors.latest_analysis(check_run)
        if analysis is None:
            raise Http404("this check run has not been analysed")
        return Response(CheckAnalysisOutput(analysis).data)


class PullRequestCiView(APIView):
    """The analyses of the failed checks of a PR's current head, and its reviews."""

    @extend_schema(responses=PullRequestCiOutput)
    def get(self, request: Request, pk: int) -> Response:
        pull_request = get_object_or_404(PullRequest.objects.visible_to(request.user), pk=pk)
        reviews = PullRequestReview.objects.filter(pull_request=pull_request, head_sha=pull_request.head_sha)
        return Response(PullRequestCiOutput({
            "pull_request_id": pull_request.pk, "head_sha": pull_request.head_sha,
            "analyses": selectors.pull_request_head_analyses(pull_request), "reviews": reviews}).data)


class ReviewFeedbackView(APIView):
    """A maintainer says whether a review of the PR's current head helped."""

    role_actions = {"post": Action.FEEDBACK}

    @extend_schema(request=ReviewFeedbackInput, responses=PullRequestReviewOutput)
    def post(self, request: Request, pk: int, reviewer_type: str) -> Response:
        if reviewer_type not in ReviewerType.values:
            raise Http404("unknown reviewer type")
        pull_request = get_object_or_404(PullRequest.objects.visible_to(request.user), pk=pk)
        self.check_object_permissions(request, pull_request)
        data = ReviewFeedbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            review = review_feedback_record(user=request.user, pull_request=pull_request,
                                            reviewer_type=reviewer_type, **data.validated_data)
        except PullRequestReview.DoesNotExist as error:
            raise Http404("no review of this kind for the current head") from error
        return Response(PullRequestReviewOutput(review).data)


class RootCauseConfirmView(APIView):
    """A maintainer confirms or corrects the root-cause lines of a check run's latest analysis;
    later logs of the repository are compared with them."""

    role_actions = {"post": Action.FEEDBACK}

    @extend_schema(request=RootCauseConfirmInput, responses={201: RootCauseExampleOutput})
    def post(self, request: Request, pk: int) -> Response:
        check_run = get_object_or_404(CheckRun.objects.visible_to(request.user), pk=pk)
        self.check_object_permissions(request, check_run)
        analysis = selectors.latest_analysis(check_run)
        if analysis is None:
            raise Http404("this check run has not been analysed")
        data = RootCauseConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            example = root_cause_confirm(user=request.user, analysis=analysis, **data.validated_data)
        except RootCauseLinesInvalid as error:
            raise ValidationError({"lines": [str(error)]}) from error
        return Response(RootCauseExampleOutput(example).data, status=status.HTTP_201_CREATED)


class RootCauseExampleView(APIView):
    """One confirmed root cause; DELETE forgets it (admins and owners)."""

    role_actions = {"delete": Action.DELETE_EXAMPLES}

    @extend_schema(responses=RootCauseExampleOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(RootCauseExampleOutput(self._example(request, pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        example = self._example(request, pk)
        self.check_object_permissions(request, example)
        root_cause_example_delete(user=request.user, example=example)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _example(self, request: Request, pk: int) -> RootCauseExample:
        return get_object_or_404(RootCauseExample.objects.visible_to(request.user), pk=pk)
