from rest_framework import serializers

from sprints.models import ForecastResult, Recommendation, RiskAssessment


class RiskOutput(serializers.ModelSerializer):
    class Meta:
        model = RiskAssessment
        fields = (
            "id",
            "risk_type",
            "severity",
            "probability",
            "impact_days",
            "title",
            "description",
            "affected_issues",
            "evidence",
            "confidence",
            "detected_at",
        )


class RecommendationOutput(serializers.ModelSerializer):
    accepted_by = serializers.CharField(source="accepted_by.username", default=None, read_only=True)

    class Meta:
        model = Recommendation
        fields = (
            "id",
            "risk",
            "category",
            "priority",
            "action",
            "rationale",
            "expected_impact",
            "effort_estimate",
            "affected_issues",
            "accepted",
            "accepted_at",
            "accepted_by",
        )


class ForecastOutput(serializers.ModelSerializer):
    risks = RiskOutput(many=True, read_only=True)
    recommendations = RecommendationOutput(many=True, read_only=True)

    class Meta:
        model = ForecastResult
        fields = (
            "id",
            "milestone",
            "completion_probability",
            "predicted_completion_date",
            "confidence_lower",
            "confidence_upper",
            "confidence_level",
            "status",
            "health_score",
            "velocity_current",
            "velocity_required",
            "remaining_work",
            "total_scope",
            "burndown_ideal",
            "burndown_actual",
            "distribution",
            "calibration",
            "model_version",
            "reasoning",
            "analyzed_at",
            "risks",
            "recommendations",
        )


class SearchInput(serializers.Serializer):
    q = serializers.CharField(max_length=500, trim_whitespace=True)
    kind = serializers.RegexField(
        r"^(issue|pull_request|commit|doc)(,(issue|pull_request|commit|doc))*$",
        required=False,
        help_text="Comma-separated kinds to search (default: all).",
    )
    limit = serializers.IntegerField(min_value=1, max_value=100, default=20)


class SearchHitOutput(serializers.Serializer):
    kind = serializers.CharField(source="document.kind")
    key = serializers.CharField(source="document.key")
    repository = serializers.CharField(source="document.repository.full_name")
    title = serializers.CharField(source="document.title")
    snippet = serializers.SerializerMethodField()
    url = serializers.CharField(source="document.url")
    score = serializers.FloatField()
    matched_by = serializers.ListField(child=serializers.CharField())

    def get_snippet(self, hit) -> str:
        return hit.document.text[:280]


class SearchOutput(serializers.Serializer):
    semantic = serializers.BooleanField(help_text="Whether semantic (embedding) search took part.")
    results = SearchHitOutput(many=True)
