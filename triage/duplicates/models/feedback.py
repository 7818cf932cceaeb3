import uuid

from django.conf import settings
from django.db import models

from gitinsight.models.tenancy import TenantModel
from triage.duplicates.models.choices import FeedbackDecision


class Feedback(TenantModel):
    """A maintainer's decision on a PR or on one candidate pair (table `triage_feedback`);
    used by the benchmark and threshold tuning."""

    tenant_path = "repository__organization"

    Decision = FeedbackDecision

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    pull_request = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE, related_name="+")
    head_sha = models.CharField(max_length=64)
    candidate_pull_request = models.ForeignKey(
        "ingestion.PullRequest", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    candidate_head_sha = models.CharField(max_length=64, blank=True)
    edge = models.ForeignKey(
        "triage.CandidateEdge", null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    decision = models.CharField(max_length=20, choices=FeedbackDecision.choices)
    base_pull_request = models.ForeignKey(
        "ingestion.PullRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    base_pr_number = models.PositiveIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_login = models.CharField(max_length=255)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "triage_feedback"
        ordering = ["-created_at"]
        verbose_name_plural = "feedback"
        indexes = [
            models.Index(fields=["repository", "pull_request", "-created_at"], name="idx_feedback_repo_pr_time"),
            models.Index(fields=["repository", "decision", "-created_at"], name="idx_feedback_repo_dec_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} on #{self.pull_request.number} by {self.actor_login}"
