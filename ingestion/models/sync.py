from django.db import models

from gitinsight.models.tenancy import TenantModel


class SyncCursor(TenantModel):
    """Where a REST backfill or poll of one resource of one repository stands: the ETag
    for conditional requests, the updated-since watermark and a resumable page cursor."""

    tenant_path = "repository__organization"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="sync_cursors")
    resource = models.CharField(max_length=50, help_text="e.g. pulls, issues, commits, milestones, check_runs")
    etag = models.CharField(max_length=255, blank=True)
    last_modified = models.CharField(max_length=64, blank=True)
    since = models.DateTimeField(null=True, blank=True, help_text="Everything updated before this is ingested.")
    cursor = models.JSONField(default=dict, blank=True, help_text="Resume point, e.g. the next page URL.")
    completed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "sync_cursors"
        constraints = [
            models.UniqueConstraint(fields=["repository", "resource"], name="sync_cursors_unique_resource"),
        ]

    def __str__(self) -> str:
        return f"{self.repository_id}:{self.resource}"


class BackfillRun(TenantModel):
    """One backfill of a repository from the REST API, with its progress."""

    tenant_path = "repository__organization"

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        COMPLETED = "completed"
        FAILED = "failed"
        WAITING = "waiting"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="backfills")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    counts = models.JSONField(default=dict, blank=True, help_text="Rows stored per resource.")
    error = models.TextField(blank=True)
    resume_at = models.DateTimeField(null=True, blank=True, help_text="Set while waiting for a rate limit reset.")
    requested_by = models.ForeignKey(
        "gitinsight.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "backfill_runs"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["repository", "-created_at"], name="idx_backfill_runs_repo")]

    def __str__(self) -> str:
        return f"backfill {self.pk} of {self.repository_id} ({self.status})"


class ArchiveEvent(TenantModel):
    """A GH Archive event already imported: the event id makes imports idempotent."""

    tenant_path = "repository__organization"

    github_id = models.BigIntegerField(primary_key=True)
    event_type = models.CharField(max_length=50)
    repository = models.ForeignKey(
        "ingestion.Repository", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    repository_full_name = models.CharField(max_length=512)
    created_at = models.DateTimeField()
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "archive_events"
        indexes = [models.Index(fields=["repository", "created_at"], name="idx_archive_events_repo")]

    def __str__(self) -> str:
        return f"{self.event_type} {self.github_id}"
