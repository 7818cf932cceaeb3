from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Lower

from gitinsight.models import Organization
from gitinsight.models.querysets import TenantQuerySet
from gitinsight.models.tenancy import TenantModel
from ingestion.models.choices import AnalysisStatus


class RepositoryQuerySet(TenantQuerySet):
    def due_for_polling(self, *, older_than) -> "RepositoryQuerySet":
        """Active repositories never polled or last polled before `older_than`."""
        return self.filter(monitoring_status=Repository.MonitoringStatus.ACTIVE, is_active=True).filter(
            models.Q(last_polled_at__isnull=True) | models.Q(last_polled_at__lt=older_than)
        )


class Repository(TenantModel):
    """A repository GitInsight follows, one table for every capability. `github_id`
    is null for a local clone that has no GitHub counterpart (yet)."""

    tenant_path = "organization"

    class MonitoringStatus(models.TextChoices):
        ACTIVE = "active"
        SUSPENDED = "suspended"
        ERROR = "error"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="repositories")
    installation = models.ForeignKey(
        "ingestion.Installation", null=True, blank=True, on_delete=models.SET_NULL, related_name="repositories"
    )
    github_id = models.BigIntegerField(unique=True, null=True, blank=True)
    owner = models.CharField(max_length=255)
    name = models.CharField(max_length=255)
    full_name = models.CharField(max_length=512, unique=True)
    description = models.TextField(blank=True)
    html_url = models.URLField(max_length=500, blank=True)
    clone_url = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=50, blank=True)
    stars = models.PositiveIntegerField(default=0)
    forks = models.PositiveIntegerField(default=0)
    watchers = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0, help_text="Kilobytes, as GitHub reports it.")
    default_branch = models.CharField(max_length=255, default="main")
    is_private = models.BooleanField(default=False)
    is_fork = models.BooleanField(default=False)
    is_archived = models.BooleanField(default=False)
    is_active = models.BooleanField(
        default=True, help_text="Untick to stop polling and analysing this repository without deleting it."
    )
    monitoring_status = models.CharField(
        max_length=10, choices=MonitoringStatus.choices, default=MonitoringStatus.ACTIVE
    )
    failure_count = models.PositiveIntegerField(default=0, help_text="Consecutive polling failures.")
    last_error = models.TextField(blank=True)
    settings = models.JSONField(default=dict, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    local_path = models.CharField(max_length=1000, blank=True, help_text="The local clone its history is read from.")
    contributor_count = models.PositiveIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_analyzed = models.DateTimeField(null=True, blank=True)
    analysis_status = models.CharField(max_length=20, choices=AnalysisStatus.choices, default=AnalysisStatus.PENDING)
    github_created_at = models.DateTimeField(null=True, blank=True)
    pushed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RepositoryQuerySet.as_manager()

    class Meta:
        db_table = "repositories"
        ordering = ["full_name"]
        verbose_name_plural = "repositories"
        constraints = [
            models.UniqueConstraint(Lower("owner"), Lower("name"), name="repositories_unique_owner_name"),
            models.CheckConstraint(
                condition=models.Q(monitoring_status__in=["active", "suspended", "error"]),
                name="repositories_monitoring_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(analysis_status__in=AnalysisStatus.values),
                name="repositories_analysis_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["language"], name="idx_repositories_language"),
            models.Index(fields=["-stars"], name="idx_repositories_stars"),
            models.Index(fields=["analysis_status"], name="idx_repositories_analysis"),
            models.Index(fields=["last_analyzed"], name="idx_repositories_last_anlzd"),
            GinIndex(fields=["settings"], name="idx_repositories_settings"),
            models.Index(fields=["language", "-stars"], name="idx_repositories_lang_stars"),
            models.Index(fields=["organization", "analysis_status"], name="idx_repositories_org_status"),
            models.Index(fields=["monitoring_status"], name="idx_repositories_status"),
            models.Index(fields=["last_polled_at"], name="idx_repositories_last_polled"),
        ]

    def __str__(self) -> str:
        return self.full_name
