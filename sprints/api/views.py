from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gitinsight.security.roles import Action
from ingestion.models import Milestone
from sprints.api.serializers import (
    ForecastOutput,
    RecommendationOutput,
    SearchHitOutput,
    SearchInput,
    SearchOutput,
)
from sprints.models import Recommendation
from sprints.selectors.forecasts import latest_forecast
from sprints.selectors.search import search_documents
from sprints.services.forecasts import RecommendationAlreadyAccepted, recommendation_accept


class MilestoneForecastView(APIView):
    """The latest forecast of a milestone the caller can see, with its risks and recommendations."""

    @extend_schema(responses=ForecastOutput)
    def get(self, request: Request, milestone_id: int) -> Response:
        milestone = get_object_or_404(Milestone.objects.visible_to(request.user), pk=milestone_id)
        forecast = latest_forecast(milestone)
        if forecast is None:
            raise Http404("This milestone has no forecast yet.")
        return Response(ForecastOutput(forecast).data)


class RecommendationAcceptView(APIView):
    role_actions = {"post": Action.FEEDBACK}

    @extend_schema(request=None, responses={200: RecommendationOutput, 409: None})
    def post(self, request: Request, pk: int) -> Response:
        recommendation = get_object_or_404(
            Recommendation.objects.visible_to(request.user).select_related("forecast__milestone__repository"), pk=pk)
        self.check_object_permissions(request, recommendation)
        try:
            accepted = recommendation_accept(recommendation=recommendation, user=request.user)
        except RecommendationAlreadyAccepted as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(RecommendationOutput(accepted).data)


class SearchView(APIView):
    """Keyword (PostgreSQL full text) and semantic (pgvector) search over the issues, pull requests,
    commit messages and docs of the caller's repositories."""

    @extend_schema(parameters=[SearchInput], responses=SearchOutput)
    def get(self, request: Request) -> Response:
        params = SearchInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        kinds = [k for k in params.validated_data.get("kind", "").split(",") if k] or None
        hits, semantic = search_documents(
            request.user, params.validated_data["q"], kinds=kinds, limit=params.validated_data["limit"]
        )
        return Response({"semantic": semantic, "results": SearchHitOutput(hits, many=True).data})
