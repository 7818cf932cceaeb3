from django.db import models

from gitinsight.models.tenancy import TenantModel
from ingestion.models.choices import AnalysisStatus, FileChannel, FileStatus, PullRequestState


class PullRequest(TenantModel):
    """A pull request and its current state. `created_at`,
    `updated_at`, `closed_at`, `merged_at` are GitHub's times; `ingested_at` and
    `refreshed_at` are ours."""

    tenant_path = "repository__organization"

    State = PullRequestState

    github_id = models.BigIntegerField(unique=True, null=True, blank=True)
    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="pull_requests")
    milestone = models.ForeignKey(
        "ingestion.Milestone", null=True, blank=True, on_delete=models.SET_NULL, related_name="pull_requests"
    )
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=PullRequestState.choices, default=PullRequestState.OPEN)
    draft = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    title = models.CharField(max_length=1000)
    body = models.TextField(blank=True)
    author_login = models.CharField(max_length=255, blank=True)
    author_github_id = models.BigIntegerField(null=True, blank=True)
    author_association = models.CharField(max_length=30, blank=True)
    html_url = models.URLField(max_length=500, blank=True)
    base_ref = models.CharField(max_length=255, blank=True)
    base_sha = models.CharField(max_length=64, blank=True)
    head_ref = models.CharField(max_length=255, blank=True)
    head_sha = models.CharField(max_length=64, blank=True)
    head_repo_full_name = models.CharField(max_length=512, blank=True)
    additions = models.PositiveIntegerField(default=0)
    deletions = models.PositiveIntegerField(default=0)
    changed_files = models.PositiveIntegerField(default=0)
    commits_count = models.PositiveIntegerField(default=0)
    comments_count = models.PositiveIntegerField(default=0)
    review_comments = models.PositiveIntegerField(default=0)
    merged = models.BooleanField(default=False)
    merged_at = models.DateTimeField(null=True, blank=True)
    merged_by_login = models.CharField(max_length=255, blank=True)
    merge_commit_sha = models.CharField(max_length=64, blank=True)
    mergeable = models.BooleanField(null=True, blank=True)
    mergeable_state = models.CharField(max_length=20, blank=True)
    requested_reviewers = models.JSONField(default=list, blank=True, help_text="Logins (and team slugs).")
    assignees = models.JSONField(default=list, blank=True)
    labels = models.JSONField(default=list, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_ingested_delivery_id = models.CharField(max_length=100, blank=True)
    last_checked_at = models.DateTimeField(
        null=True, blank=True, help_text="When its failed checks were last analysed."
    )
    last_analyzed_head_sha = models.CharField(max_length=64, blank=True)
    last_analyzed_at = models.DateTimeField(null=True, blank=True)
    analysis_status = models.CharField(max_length=10, choices=AnalysisStatus.choices, default=AnalysisStatus.PENDING)
    analysis_error = models.TextField(blank=True)
    ingested_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "pull_requests"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["repository", "number"], name="pull_requests_unique_number"),
            models.CheckConstraint(
                condition=models.Q(state__in=["open", "closed", "merged"]), name="pull_requests_state_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["repository", "state", "-updated_at"], name="idx_prs_repo_state_updated"),
            models.Index(fields=["repository", "-last_analyzed_at"], name="idx_prs_repo_last_analyzed"),
            models.Index(fields=["state"], name="idx_prs_state"),
            models.Index(fields=["author_login"], name="idx_prs_author"),
            models.Index(fields=["-created_at"], name="idx_prs_created"),
            models.Index(fields=["last_checked_at"], name="idx_prs_last_checked"),
            models.Index(fields=["head_sha"], name="idx_prs_head_sha"),
            # The API lists newest first by id, per repository too (ingestion.api).
            models.Index(fields=["repository", "-id"], name="idx_prs_repo_id"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.title}"


class PullRequestFile(TenantModel):
    """Per-file change metadata of a pull request at one head sha (table `pr_files`);
    the raw patch is not kept."""

    tenant_path = "repository__organization"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    pull_request = models.ForeignKey(PullRequest, on_delete=models.CASCADE, related_name="files")
    head_sha = models.CharField(max_length=64)
    path = models.TextField()
    previous_path = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=FileStatus.choices)
    additions = models.PositiveIntegerField(default=0)
    deletions = models.PositiveIntegerField(default=0)
    changes = models.PositiveIntegerField(default=0)
    patch_truncated = models.BooleanField(default=False)
    channel = models.CharField(max_length=10, choices=FileChannel.choices)
    channel_rules_version = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "pr_files"
        constraints = [
            models.UniqueConstraint(fields=["pull_request", "head_sha", "path"], name="pr_files_unique_path_per_head"),
        ]
        indexes = [
            models.Index(fields=["repository", "path"], name="idx_pr_files_repo_path"),
            models.Index(fields=["repository", "channel"], name="idx_pr_files_repo_channel"),
            models.Index(fields=["pull_request", "head_sha", "channel"], name="idx_pr_files_pr_head_channel"),
        ]

    def __str__(self) -> str:
        return self.path


class PullRequestStateHistory(TenantModel):
    """Every change of a pull request's state or head (table `pr_state_history`)."""

    tenant_path = "repository__organization"

    class TriggerEvent(models.TextChoices):
        OPENED = "opened"
        SYNCHRONIZE = "synchronize"
        CLOSED = "closed"
        REOPENED = "reopened"
        EDITED = "edited"
        MANUAL_CHECK = "manual_check"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    pull_request = models.ForeignKey(PullRequest, on_delete=models.CASCADE, related_name="state_history")
    old_state = models.CharField(max_length=10, choices=PullRequestState.choices, blank=True)
    new_state = models.CharField(max_length=10, choices=PullRequestState.choices)
    trigger_event = models.CharField(max_length=15, choices=TriggerEvent.choices)
    head_sha = models.CharField(max_length=64, blank=True)
    previous_head_sha = models.CharField(max_length=64, blank=True)
    delivery_id = models.CharField(max_length=100, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "pr_state_history"
        ordering = ["-created_at"]
        verbose_name_plural = "pull request state history"
        indexes = [
            models.Index(fields=["created_at"], name="idx_pr_state_history_created"),
            models.Index(fields=["trigger_event"], name="idx_pr_state_history_trigger"),
            models.Index(fields=["pull_request", "created_at"], name="idx_pr_state_history_pr_crtd"),
        ]

    def __str__(self) -> str:
        return f"{self.old_state or '∅'} → {self.new_state} ({self.trigger_event})"


class PullRequestCommit(TenantModel):
    """The commits of a pull request, in order (position 0 is the oldest)."""

    tenant_path = "repository__organization"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    pull_request = models.ForeignKey(PullRequest, on_delete=models.CASCADE, related_name="pr_commits")
    sha = models.CharField(max_length=64)
    position = models.PositiveIntegerField(default=0)
    commit = models.ForeignKey("ingestion.Commit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        db_table = "pr_commits"
        ordering = ["pull_request", "position"]
        constraints = [
            models.UniqueConstraint(fields=["pull_request", "sha"], name="pr_commits_unique_sha"),
        ]
        indexes = [models.Index(fields=["repository", "sha"], name="idx_pr_commits_repo_sha")]

    def __str__(self) -> str:
        return self.sha[:12]
