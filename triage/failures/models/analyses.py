"""Failed-check analysis (tables `analysis_results`, `fix_attempts`, `reviews`).

An analysis is kept per (check run, rules version): re-analysing under new rules adds a
row, so a verdict can always be traced to the rules that produced it. Only a compressed
excerpt of the log is stored (the full log only when TRIAGE_KEEP_FULL_LOGS is on).
"""

from __future__ import annotations

from django.db import models

from gitinsight.models.querysets import TenantQuerySet
from gitinsight.models.tenancy import TenantModel
from ingestion.models.choices import AnalysisStatus

ANALYSIS_STATUSES = [(status.value, status.label)
                     for status in (AnalysisStatus.PENDING, AnalysisStatus.DONE, AnalysisStatus.FAILED)]


class FailureCategory(models.TextChoices):
    TEST_FAILURE = "test_failure"
    LINT_FORMAT = "lint_format"
    TYPE_CHECK = "type_check"
    BUILD_COMPILE = "build_compile"
    DEPENDENCY_INSTALL = "dependency_install"
    INFRASTRUCTURE = "infrastructure"
    UNKNOWN = "unknown"


class FailureAttribution(models.TextChoices):
    NEW = "new"
    FLAKY = "flaky"
    BROKEN_TRUNK = "broken_trunk"
    UNSTABLE = "unstable"
    UNKNOWN = "unknown"  # not decided yet (pending) or no log to decide on


class CheckFailureAnalysisQuerySet(TenantQuerySet):
    def latest_per_check_run(self) -> CheckFailureAnalysisQuerySet:
        """The latest analysis of each check run (an older rules version's is history)."""
        return self.latest_per("check_run_id")


class CheckFailureAnalysis(TenantModel):
    tenant_path = "check_run__repository__organization"

    objects = CheckFailureAnalysisQuerySet.as_manager()

    check_run = models.ForeignKey("ingestion.CheckRun", on_delete=models.CASCADE, related_name="failure_analyses")
    workflow_job = models.ForeignKey(
        "ingestion.WorkflowJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="failure_analyses"
    )
    pull_request = models.ForeignKey(
        "ingestion.PullRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="check_analyses"
    )
    head_sha = models.CharField(max_length=64)
    # FAILED: e.g. the log could not be fetched (expired, no permission); never running or degraded
    status = models.CharField(max_length=10, choices=ANALYSIS_STATUSES, default=AnalysisStatus.PENDING)
    error = models.TextField(blank=True)
    category = models.CharField(max_length=30, choices=FailureCategory.choices, default=FailureCategory.UNKNOWN)
    category_confidence = models.FloatField(default=0.0)
    root_cause = models.JSONField(default=list, blank=True, help_text="Ranked line ranges (start, end, rule...).")
    excerpt = models.BinaryField(null=True, blank=True, help_text="zlib JSON, see triage.failures.core.excerpt.")
    excerpt_lines = models.PositiveIntegerField(default=0)
    excerpt_expires_at = models.DateTimeField(null=True, blank=True)
    full_log = models.TextField(blank=True, help_text="Only with TRIAGE_KEEP_FULL_LOGS.")
    fingerprint = models.CharField(max_length=64, blank=True)
    fingerprint_confidence = models.FloatField(default=0.0)
    attribution = models.CharField(
        max_length=15, choices=FailureAttribution.choices, default=FailureAttribution.UNKNOWN
    )
    attribution_confidence = models.FloatField(default=0.0)
    attribution_evidence = models.JSONField(default=list, blank=True)
    recommended_action = models.CharField(max_length=30, blank=True)
    suggested_fix = models.TextField(blank=True)
    rules_version = models.CharField(max_length=20)
    compared_with_passing = models.BooleanField(default=False)
    analysed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "check_failure_analyses"
        verbose_name = "failed-check analysis"
        verbose_name_plural = "failed-check analyses"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["check_run", "rules_version"], name="check_analysis_unique_rules"),
            models.CheckConstraint(condition=models.Q(status__in=["pending", "done", "failed"]),
                                   name="check_analysis_status_valid"),
        ]
        indexes = [
            models.Index(fields=["pull_request", "head_sha"], name="idx_check_analysis_pr_head"),
            models.Index(fields=["fingerprint", "-analysed_at"], name="idx_check_analysis_fingerprint"),
            models.Index(fields=["attribution", "-created_at"], name="idx_check_analysis_attribution"),
            models.Index(fields=["excerpt_expires_at"], name="idx_check_analysis_expiry"),
        ]

    def __str__(self) -> str:
        from triage.presentation import failure_category_words

        return f"{self.check_run.name} failed on {failure_category_words(self.category)}"


class FixStrategy(models.TextChoices):
    RERUN_FAILED_JOBS = "rerun_failed_jobs"
    NOTIFY_AUTHOR = "notify_author"
    SUGGEST_FIX = "suggest_fix"


class FixStatus(models.TextChoices):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"


class FixAttempt(TenantModel):
    tenant_path = "analysis__check_run__repository__organization"

    analysis = models.ForeignKey(CheckFailureAnalysis, on_delete=models.CASCADE, related_name="fix_attempts")
    strategy = models.CharField(max_length=30, choices=FixStrategy.choices)
    status = models.CharField(max_length=15, choices=FixStatus.choices, default=FixStatus.PENDING)
    retry_count = models.PositiveIntegerField(default=0)
    success = models.BooleanField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "check_fix_attempts"
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "strategy"], name="fix_attempt_unique_strategy"),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="idx_fix_attempts_status")]

    def __str__(self) -> str:
        return f"{self.get_strategy_display()} ({self.get_status_display().lower()})"


class ReviewerType(models.TextChoices):
    RISK = "risk"
    DUPLICATE = "duplicate"
    CI = "ci"


class ReviewDecision(models.TextChoices):
    APPROVE = "approve"
    COMMENT = "comment"
    REQUEST_CHANGES = "request_changes"
    NONE = "none"


class ReviewFeedback(models.TextChoices):
    HELPFUL = "helpful"
    NOT_HELPFUL = "not_helpful"


class PullRequestReview(TenantModel):
    """One verdict per (pull request, head, reviewer type), updated in place on re-runs."""

    tenant_path = "pull_request__repository__organization"

    pull_request = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE, related_name="triage_reviews")
    head_sha = models.CharField(max_length=64)
    reviewer_type = models.CharField(max_length=10, choices=ReviewerType.choices)
    decision = models.CharField(max_length=20, choices=ReviewDecision.choices, default=ReviewDecision.NONE)
    summary = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    feedback = models.CharField(max_length=15, choices=ReviewFeedback.choices, blank=True)
    feedback_comment = models.TextField(blank=True)
    feedback_by = models.ForeignKey(
        "gitinsight.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    feedback_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "pull_request_reviews"
        ordering = ["pull_request", "reviewer_type"]
        constraints = [
            models.UniqueConstraint(fields=["pull_request", "head_sha", "reviewer_type"],
                                    name="pr_review_unique_per_head"),
        ]
        indexes = [models.Index(fields=["reviewer_type", "-updated_at"], name="idx_pr_reviews_type")]

    def __str__(self) -> str:
        return f"{self.get_reviewer_type_display()} review: {self.get_decision_display().lower()}"
