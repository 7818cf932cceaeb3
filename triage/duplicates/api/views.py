from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gitinsight.security.roles import Action
from ingestion.models import PullRequest
from triage.duplicates.api.serializers import CandidateOutput, FeedbackInput, FeedbackOutput
from triage.duplicates.models import CandidateEdge
from triage.duplicates.selectors import pull_request_candidates
from triage.duplicates.services.feedback import feedback_record


class PullRequestCandidatesView(APIView):
    """Candidates of a pull request's current head, best first, with evidence."""

    @extend_schema(responses=CandidateOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        pull_request = get_object_or_404(PullRequest.objects.visible_to(request.user), pk=pk)
        return Response(CandidateOutput(pull_request_candidates(pull_request=pull_request), many=True).data)


class CandidateFeedbackView(APIView):
    """A maintainer confirms or rejects one verdict."""

    role_actions = {"post": Action.FEEDBACK}

    @extend_schema(request=FeedbackInput, responses={201: FeedbackOutput})
    def post(self, request: Request, pk: int) -> Response:
        edge = get_object_or_404(CandidateEdge.objects.visible_to(request.user), pk=pk)
        self.check_object_permissions(request, edge)
        data = FeedbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        feedback = feedback_record(user=request.user, edge=edge, **data.validated_data)
        return Response(FeedbackOutput(feedback).data, status=status.HTTP_201_CREATED)
