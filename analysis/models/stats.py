from django.db import models

from gitinsight.models.tenancy import TenantModel


class RepositoryStats(TenantModel):
    """Read-only view of the `repository_stats` materialized view, refreshed by
    the `repository stats` schedule."""

    tenant_path = "repository__organization"

    repository = models.OneToOneField(
        "ingestion.Repository", primary_key=True, on_delete=models.DO_NOTHING, db_column="id", related_name="+"
    )
    full_name = models.CharField(max_length=512)
    language = models.CharField(max_length=50)
    stars = models.IntegerField()
    forks = models.IntegerField()
    total_insights = models.IntegerField()
    avg_confidence = models.DecimalField(max_digits=4, decimal_places=3, null=True)
    latest_insight = models.DateTimeField(null=True)
    follower_count = models.IntegerField()
    recent_insight_count = models.IntegerField()
    trending_score = models.IntegerField()

    class Meta:
        managed = False
        db_table = "repository_stats"
        ordering = ["-trending_score"]
        verbose_name_plural = "repository statistics"

    def __str__(self) -> str:
        return self.full_name
