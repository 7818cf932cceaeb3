from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ingestion.models import PullRequest
from triage.report.selectors import pull_request_report


class PullRequestReportView(APIView):
    """Commit risk, duplicate candidates and failed-check attribution of a pull request's head."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        pull_request = get_object_or_404(
            PullRequest.objects.select_related("repository").visible_to(request.user),
            pk=pk,
        )
        report = pull_request_report(pull_request=pull_request, head_sha=request.query_params.get("head_sha"))
        body = {name: getattr(report, name) for name in ("head_sha", "risk", "duplicates", "triage_status", "checks",
                                                          "reviews", "competing", "headline")}
        body["pull_request"] = {"id": pull_request.pk, "number": pull_request.number, "title": pull_request.title,
                                "repository": pull_request.repository.full_name, "state": pull_request.state}
        return Response(body)
