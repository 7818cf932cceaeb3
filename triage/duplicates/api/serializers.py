from rest_framework import serializers

from triage.duplicates.models import CandidateEdge, Feedback
from triage.duplicates.models.choices import FeedbackDecision


class CandidateOutput(serializers.ModelSerializer):
    candidate_number = serializers.IntegerField(source="pull_request_b.number")
    candidate_title = serializers.CharField(source="pull_request_b.title")

    class Meta:
        model = CandidateEdge
        fields = ["id", "rank", "candidate_number", "candidate_title", "head_sha_b", "category", "final_score",
                  "scores_json", "evidence_json", "created_at"]


class FeedbackInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=FeedbackDecision.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    base_pr_number = serializers.IntegerField(required=False, allow_null=True, default=None)


class FeedbackOutput(serializers.ModelSerializer):
    class Meta:
        model = Feedback
        fields = ["id", "decision", "notes", "actor_login", "candidate_head_sha", "head_sha", "created_at"]
