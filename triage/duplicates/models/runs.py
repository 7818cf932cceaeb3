import uuid

from django.db import models

from gitinsight.models.querysets import TenantQuerySet
from gitinsight.models.tenancy import TenantModel
from ingestion.models.choices import AnalysisStatus
from triage.duplicates.models.choices import TriageCategory


class AnalysisRunQuerySet(TenantQuerySet):
    newest_ordering = ("-started_at", "-pk")

    def for_head(self, pull_request, head_sha: str | None = None) -> "AnalysisRunQuerySet":
        """The runs of one head of a pull request (default: its current head)."""
        return self.filter(pull_request=pull_request, head_sha=head_sha or pull_request.head_sha)

    def finished(self) -> "AnalysisRunQuerySet":
        """Runs whose results stand (done, or done with some signals missing)."""
        return self.filter(status__in=[AnalysisStatus.DONE, AnalysisStatus.DEGRADED])


class AnalysisRun(TenantModel):
    """All computations for one PR head under one signature/algorithm/config version
    (table `pr_analysis_runs`). A new push makes a new run; runs are never reused."""

    tenant_path = "repository__organization"

    objects = AnalysisRunQuerySet.as_manager()

    Status = AnalysisStatus

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    pull_request = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE, related_name="triage_runs")
    head_sha = models.CharField(max_length=64)
    signature_version = models.PositiveSmallIntegerField()
    algorithm_version = models.PositiveSmallIntegerField()
    config_version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=AnalysisStatus.choices, default=AnalysisStatus.PENDING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    degraded_reasons = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        db_table = "pr_analysis_runs"
        verbose_name = "duplicate analysis"
        verbose_name_plural = "duplicate analyses"
        ordering = ["-started_at"]
        indexes = [
            models.Index(
                fields=["repository", "pull_request", "head_sha", "-started_at"], name="idx_runs_repo_pr_head_time"
            ),
            models.Index(fields=["status"], name="idx_runs_status"),
        ]

    def __str__(self) -> str:
        return f"Duplicate analysis of #{self.pull_request.number} at {self.head_sha[:10]}"


class CandidateEdge(TenantModel):
    """A scored pair: A is the analysed head, B an earlier candidate (table
    `pr_candidate_edges`). `evidence_json` is mandatory: overlaps and every value used."""

    tenant_path = "repository__organization"

    Category = TriageCategory

    analysis_run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="edges")
    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    pull_request_a = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE, related_name="+")
    head_sha_a = models.CharField(max_length=64)
    pull_request_b = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE, related_name="+")
    head_sha_b = models.CharField(max_length=64)
    rank = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=30, choices=TriageCategory.choices)
    final_score = models.FloatField()
    scores_json = models.JSONField(default=dict)
    evidence_json = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "pr_candidate_edges"
        verbose_name = "candidate pair"
        ordering = ["analysis_run", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["analysis_run", "pull_request_b", "head_sha_b"], name="pr_candidate_edges_unique_key"
            ),
            models.CheckConstraint(condition=~models.Q(evidence_json={}), name="pr_candidate_edges_has_evidence"),
        ]
        indexes = [
            models.Index(fields=["repository", "pull_request_a", "head_sha_a"], name="idx_edges_repo_a"),
            models.Index(fields=["repository", "pull_request_b", "head_sha_b"], name="idx_edges_repo_b"),
            models.Index(fields=["repository", "-created_at"], name="idx_edges_repo_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.pull_request_a.number} and #{self.pull_request_b.number}: {self.get_category_display().lower()}"
