from django.db import models

from gitinsight.models.querysets import TenantQuerySet
from gitinsight.models.tenancy import TenantModel

#: external_id of the check runs GitInsight itself puts on pull request heads; ingestion stores
#: them like any other check run, and the failed-check analysis leaves them alone
GITINSIGHT_EXTERNAL_ID_PREFIX = "gitinsight:"


class CheckRunQuerySet(TenantQuerySet):
    def not_gitinsight(self) -> "CheckRunQuerySet":
        """Every check run but GitInsight's own verdicts."""
        return self.exclude(external_id__startswith=GITINSIGHT_EXTERNAL_ID_PREFIX)


class CheckSuite(TenantModel):
    tenant_path = "repository__organization"

    github_id = models.BigIntegerField(unique=True)
    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="check_suites")
    head_sha = models.CharField(max_length=64)
    head_branch = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=20, blank=True)
    conclusion = models.CharField(max_length=20, blank=True)
    app_slug = models.CharField(max_length=255, blank=True)
    app_github_id = models.BigIntegerField(null=True, blank=True)
    before_sha = models.CharField(max_length=64, blank=True)
    after_sha = models.CharField(max_length=64, blank=True)
    pull_request_numbers = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    ingested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "check_suites"
        indexes = [models.Index(fields=["repository", "head_sha"], name="idx_check_suites_repo_head")]

    def __str__(self) -> str:
        return f"suite {self.github_id} ({self.app_slug})"


class CheckRun(TenantModel):
    """One check run (table `check_runs`). `github_id` is GitHub's id; `external_id`
    is the id the reporting app gave it. A run may concern several pull requests; the
    FK points at the first one of this repository that GitHub lists."""

    tenant_path = "repository__organization"

    github_id = models.BigIntegerField(unique=True)
    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="check_runs")
    pull_request = models.ForeignKey(
        "ingestion.PullRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="check_runs"
    )
    check_suite = models.ForeignKey(
        CheckSuite, null=True, blank=True, on_delete=models.SET_NULL, related_name="check_runs"
    )
    external_id = models.CharField(max_length=255, blank=True)
    name = models.CharField(max_length=255)
    head_sha = models.CharField(max_length=64)
    status = models.CharField(max_length=20, help_text="Where GitHub's run stands: queued, in progress, waiting, "
                              "requested, pending or completed.")
    conclusion = models.CharField(max_length=20, blank=True)
    details_url = models.URLField(max_length=500, blank=True)
    logs_url = models.URLField(max_length=500, blank=True)
    html_url = models.URLField(max_length=500, blank=True)
    app_slug = models.CharField(max_length=255, blank=True)
    output_title = models.TextField(blank=True)
    output_summary = models.TextField(blank=True)
    output_text = models.TextField(blank=True)
    annotations_count = models.PositiveIntegerField(default=0)
    pull_request_numbers = models.JSONField(default=list, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CheckRunQuerySet.as_manager()

    class Meta:
        db_table = "check_runs"
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["status"], name="idx_check_runs_status"),
            models.Index(fields=["conclusion"], name="idx_check_runs_conclusion"),
            models.Index(fields=["name"], name="idx_check_runs_check_name"),
            models.Index(fields=["created_at"], name="idx_check_runs_created_at"),
            models.Index(fields=["pull_request", "status"], name="idx_check_runs_pr_status"),
            models.Index(fields=["pull_request", "conclusion"], name="idx_check_runs_pr_conclusion"),
            models.Index(fields=["repository", "head_sha"], name="idx_check_runs_repo_head"),
            # The API lists newest first by id, per repository too (ingestion.api).
            models.Index(fields=["repository", "-id"], name="idx_check_runs_repo_id"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.conclusion or self.status})"

    @property
    def is_gitinsight(self) -> bool:
        """GitInsight's own verdict on a pull request head, not a check to analyse."""
        return self.external_id.startswith(GITINSIGHT_EXTERNAL_ID_PREFIX)


class WorkflowRun(TenantModel):
    """A GitHub Actions workflow run (table `workflow_runs`), one row per run id; the
    latest attempt wins."""

    tenant_path = "repository__organization"

    github_id = models.BigIntegerField(unique=True)
    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="workflow_runs")
    pull_request = models.ForeignKey(
        "ingestion.PullRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="workflow_runs"
    )
    workflow_github_id = models.BigIntegerField(null=True, blank=True)
    check_suite_github_id = models.BigIntegerField(null=True, blank=True)
    name = models.CharField(max_length=255, blank=True)
    run_number = models.PositiveIntegerField(default=0)
    run_attempt = models.PositiveIntegerField(default=1)
    event = models.CharField(max_length=50, blank=True)
    status = models.CharField(max_length=20, blank=True)
    conclusion = models.CharField(max_length=20, blank=True)
    head_sha = models.CharField(max_length=64)
    head_branch = models.CharField(max_length=255, blank=True)
    actor_login = models.CharField(max_length=255, blank=True)
    html_url = models.URLField(max_length=500, blank=True)
    logs_url = models.URLField(max_length=500, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    run_started_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    ingested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "workflow_runs"
        ordering = ["-run_started_at"]
        indexes = [
            models.Index(fields=["head_sha"], name="idx_workflow_runs_commit"),
            models.Index(fields=["conclusion"], name="idx_workflow_runs_conclusion"),
            models.Index(fields=["repository", "-run_started_at"], name="idx_workflow_runs_repo_start"),
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.run_number} ({self.conclusion or self.status})"


class WorkflowJob(TenantModel):
    tenant_path = "repository__organization"

    github_id = models.BigIntegerField(unique=True)
    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="workflow_jobs")
    run = models.ForeignKey(WorkflowRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")
    run_github_id = models.BigIntegerField(help_text="Kept so a job that arrives before its run can be linked later.")
    run_attempt = models.PositiveIntegerField(default=1)
    workflow_name = models.CharField(max_length=255, blank=True)
    name = models.CharField(max_length=255)
    status = models.CharField(max_length=20, blank=True)
    conclusion = models.CharField(max_length=20, blank=True)
    head_sha = models.CharField(max_length=64)
    head_branch = models.CharField(max_length=255, blank=True)
    html_url = models.URLField(max_length=500, blank=True)
    runner_name = models.CharField(max_length=255, blank=True)
    labels = models.JSONField(default=list, blank=True)
    steps = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    ingested_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "workflow_jobs"
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["run_github_id"], name="idx_workflow_jobs_run"),
            models.Index(fields=["repository", "head_sha"], name="idx_workflow_jobs_repo_head"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.conclusion or self.status})"
