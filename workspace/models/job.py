from django.conf import settings
from django.db import models

from gitinsight.models.tenancy import TenantModel


class AnalysisJob(TenantModel):
    """A long job on one repository (table `analysis_jobs`): backfill, git ingest,
    training, triage run, forecast refresh, insights. Its progress is what the admin
    shows live and what a retry starts again from."""

    tenant_path = "repository__organization"

    class Status(models.TextChoices):
        QUEUED = "queued"
        IN_PROGRESS = "in_progress"
        COMPLETED = "completed"
        FAILED = "failed"
        CANCELLED = "cancelled"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="analysis_jobs")
    type = models.CharField(max_length=50)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    options = models.JSONField(default=dict, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=255, blank=True, help_text="What the job is doing now.")
    result = models.JSONField(default=dict, blank=True)
    error_message = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "analysis_jobs"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=100), name="analysis_jobs_progress_0_100"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "in_progress", "completed", "failed", "cancelled"]),
                name="analysis_jobs_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="idx_analysis_jobs_status"),
            models.Index(fields=["type"], name="idx_analysis_jobs_type"),
            models.Index(fields=["-created_at"], name="idx_analysis_jobs_created_at"),
            models.Index(fields=["repository", "status"], name="idx_analysis_jobs_repo_status"),
            models.Index(fields=["status", "-created_at"], name="idx_analysis_jobs_status_crtd"),
        ]

    def __str__(self) -> str:
        return f"{self.type.replace('_', ' ').capitalize()} on {self.repository} ({self.get_status_display().lower()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.COMPLETED, self.Status.FAILED, self.Status.CANCELLED}
