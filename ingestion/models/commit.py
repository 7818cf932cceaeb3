from django.contrib.postgres.fields import ArrayField
from django.db import models

from gitinsight.models.tenancy import TenantModel
from ingestion.models.choices import FileChannel, FileStatus


class Commit(TenantModel):
    """One commit of a repository, from a local clone, the REST API or a push webhook.
    Line counts are for the diff against the first parent (merges included)."""

    tenant_path = "repository__organization"

    class Source(models.TextChoices):
        GIT = "git"
        API = "api"
        WEBHOOK = "webhook"
        ARCHIVE = "archive"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="commits")
    sha = models.CharField(max_length=64)
    parents = ArrayField(models.CharField(max_length=64), default=list, blank=True)
    message = models.TextField(blank=True)
    author_name = models.CharField(max_length=255, blank=True)
    author_email = models.CharField(max_length=255, blank=True)
    author_login = models.CharField(max_length=255, blank=True)
    committer_name = models.CharField(max_length=255, blank=True)
    committer_email = models.CharField(max_length=255, blank=True)
    committer_login = models.CharField(max_length=255, blank=True)
    authored_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    lines_added = models.PositiveIntegerField(default=0)
    lines_deleted = models.PositiveIntegerField(default=0)
    files_changed = models.PositiveIntegerField(default=0)
    is_merge = models.BooleanField(default=False)
    stats_complete = models.BooleanField(
        default=True, help_text="False when only a summary is known (a push payload has no line counts)."
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.GIT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "commits"
        ordering = ["-committed_at"]
        constraints = [
            models.UniqueConstraint(fields=["repository", "sha"], name="commits_unique_sha_per_repo"),
        ]
        indexes = [
            models.Index(fields=["sha"], name="idx_commits_sha"),
            models.Index(fields=["repository", "-committed_at"], name="idx_commits_repo_committed"),
            # An author's commits newest first (the API's author_login filter) read the index
            # backwards and stop at the page, rather than sort every commit of the author.
            models.Index(fields=["author_login", "-id"], name="idx_commits_author_id"),
            models.Index(fields=["author_email"], name="idx_commits_author_email"),
            # The API lists newest first by id, per repository too (ingestion.api).
            models.Index(fields=["repository", "-id"], name="idx_commits_repo_id"),
        ]

    def __str__(self) -> str:
        return self.sha[:12]


class CommitFile(TenantModel):
    """Per-file stats of a commit (diff against its first parent, renames detected)."""

    tenant_path = "repository__organization"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    commit = models.ForeignKey(Commit, on_delete=models.CASCADE, related_name="files")
    path = models.TextField()
    previous_path = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=FileStatus.choices)
    additions = models.PositiveIntegerField(default=0)
    deletions = models.PositiveIntegerField(default=0)
    is_binary = models.BooleanField(default=False)
    channel = models.CharField(max_length=10, choices=FileChannel.choices)
    channel_rules_version = models.PositiveSmallIntegerField(default=1)

    class Meta:
        db_table = "commit_files"
        constraints = [
            models.UniqueConstraint(fields=["commit", "path"], name="commit_files_unique_path"),
        ]
        indexes = [
            models.Index(fields=["repository", "path"], name="idx_commit_files_repo_path"),
            models.Index(fields=["repository", "channel"], name="idx_commit_files_repo_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.commit_id}:{self.path}"
