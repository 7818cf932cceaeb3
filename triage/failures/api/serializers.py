"""Input and output shapes of the failed-check API."""

from __future__ import annotations

from rest_framework import serializers

from triage.failures.models.analyses import (
    CheckFailureAnalysis,
    FixAttempt,
    PullRequestReview,
    ReviewFeedback,
)
from triage.failures.models.root_causes import RootCauseExample
from triage.failures.selectors.analyses import analysis_excerpt


class CheckFixAttemptOutput(serializers.ModelSerializer):
    class Meta:
        model = FixAttempt
        fields = ["strategy", "status", "retry_count", "success", "details", "error", "created_at", "completed_at"]


class CheckAnalysisOutput(serializers.ModelSerializer):
    check_run_id = serializers.IntegerField()
    check_run_name = serializers.CharField(source="check_run.name")
    excerpt = serializers.SerializerMethodField()
    fix_attempts = CheckFixAttemptOutput(many=True, read_only=True)

    class Meta:
        model = CheckFailureAnalysis
        fields = ["id", "check_run_id", "check_run_name", "head_sha", "status", "error", "category",
                  "category_confidence", "root_cause", "fingerprint", "attribution", "attribution_confidence",
                  "attribution_evidence", "recommended_action", "suggested_fix", "rules_version",
                  "compared_with_passing", "analysed_at", "excerpt", "fix_attempts"]

    def get_excerpt(self, analysis: CheckFailureAnalysis) -> dict | None:
        excerpt = analysis_excerpt(analysis)
        if excerpt is None:
            return None
        return {"text": excerpt.text, "highlighted_lines": excerpt.highlighted_numbers,
                "lines": [{"number": line.number, "text": line.text, "highlighted": line.highlighted}
                          for line in excerpt.lines]}


class PullRequestReviewOutput(serializers.ModelSerializer):
    class Meta:
        model = PullRequestReview
        fields = ["id", "reviewer_type", "head_sha", "decision", "summary", "details", "feedback",
                  "feedback_comment", "updated_at"]


class PullRequestCiOutput(serializers.Serializer):
    pull_request_id = serializers.IntegerField()
    head_sha = serializers.CharField()
    analyses = CheckAnalysisOutput(many=True)
    reviews = PullRequestReviewOutput(many=True)


class ReviewFeedbackInput(serializers.Serializer):
    feedback = serializers.ChoiceField(choices=ReviewFeedback.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class RootCauseConfirmInput(serializers.Serializer):
    start = serializers.IntegerField(min_value=1)
    end = serializers.IntegerField(min_value=1)


class RootCauseExampleOutput(serializers.ModelSerializer):
    class Meta:
        model = RootCauseExample
        fields = ["id", "repository_id", "check_name", "analysis_id", "start_line", "end_line", "text", "corrected",
                  "created_at"]
