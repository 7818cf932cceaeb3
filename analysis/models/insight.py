from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models

from gitinsight.models.querysets import TenantQuerySet
from gitinsight.models.tenancy import TenantModel


class InsightQuerySet(TenantQuerySet):
    def latest_generation(self) -> "InsightQuerySet":
        """The insights of each repository's most recent computation."""
        latest = models.Subquery(
            Insight.objects.filter(repository=models.OuterRef("repository"))
            .order_by("-generated_at").values("generated_at")[:1]
        )
        return self.filter(generated_at=latest)


class Insight(TenantModel):
    """A finding about a repository: hotspots, knowledge concentration, change
    coupling, contributor activity, risk and CI-failure trends. Every computation writes a
    new generation; `data` holds the evidence the finding rests on."""

    tenant_path = "repository__organization"

    class Type(models.TextChoices):
        HOTSPOTS = "hotspots"
        KNOWLEDGE_CONCENTRATION = "knowledge_concentration"
        CHANGE_COUPLING = "change_coupling"
        CONTRIBUTOR_ACTIVITY = "contributor_activity"
        RISK_TREND = "risk_trend"
        CI_FAILURE_TREND = "ci_failure_trend"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="insights")
    type = models.CharField(max_length=50, choices=Type.choices)
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    confidence_score = models.DecimalField(max_digits=3, decimal_places=2)
    data = models.JSONField()
    model_version = models.CharField(max_length=50, blank=True)
    tags = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    generated_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InsightQuerySet.as_manager()

    class Meta:
        db_table = "insights"
        ordering = ["-generated_at", "type"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confidence_score__gte=0) & models.Q(confidence_score__lte=1),
                name="insights_confidence_0_1",
            ),
        ]
        indexes = [
            models.Index(fields=["type"], name="idx_insights_type"),
            models.Index(fields=["-confidence_score"], name="idx_insights_confidence"),
            models.Index(fields=["-generated_at"], name="idx_insights_generated_at"),
            GinIndex(fields=["tags"], name="idx_insights_tags"),
            GinIndex(fields=["data"], name="idx_insights_data"),
            models.Index(fields=["repository", "type"], name="idx_insights_repo_type"),
            models.Index(fields=["type", "-confidence_score"], name="idx_insights_type_confidence"),
        ]

    def __str__(self) -> str:
        return f"{self.repository}: {self.title}"
