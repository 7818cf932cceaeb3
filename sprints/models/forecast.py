from django.db import models

from gitinsight.models.querysets import TenantQuerySet
from gitinsight.models.tenancy import TenantModel


class ForecastStatus(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"


class ForecastResultQuerySet(TenantQuerySet):
    # A forecast is as new as the moment it was computed for (analyzed_at), not its row.
    newest_ordering = ("-analyzed_at", "-pk")

    def latest_per_milestone(self) -> "ForecastResultQuerySet":
        """The latest forecast of each milestone."""
        return self.latest_per("milestone_id")


class ForecastResult(TenantModel):
    """One forecast of a milestone (not named `analysis_results`: that name belongs to the
    check-run analyses). A refresh adds a row; nothing is overwritten, so the history of forecasts
    is the history of the milestone's outlook. Probabilities and scores are percentages (0-100);
    the confidence bounds are stored as the dates they stand for."""

    tenant_path = "milestone__repository__organization"

    objects = ForecastResultQuerySet.as_manager()

    Status = ForecastStatus

    milestone = models.ForeignKey("ingestion.Milestone", on_delete=models.CASCADE, related_name="forecasts")
    completion_probability = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="P(done by the due date), 0-100."
    )
    predicted_completion_date = models.DateField(null=True, blank=True, help_text="Median simulated date.")
    confidence_lower = models.DateField(null=True, blank=True, help_text="10th percentile completion date.")
    confidence_upper = models.DateField(
        null=True, blank=True, help_text="90th percentile completion date; empty when beyond the horizon."
    )
    confidence_level = models.DecimalField(max_digits=5, decimal_places=2, default=80)
    status = models.CharField(max_length=20, choices=ForecastStatus.choices)
    health_score = models.DecimalField(max_digits=5, decimal_places=2, help_text="0-100.")
    velocity_current = models.DecimalField(max_digits=8, decimal_places=2, help_text="Work per week, last 14 days.")
    velocity_required = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, help_text="Work per week needed to meet the due date."
    )
    remaining_work = models.FloatField(default=0)
    total_scope = models.FloatField(default=0)
    burndown_ideal = models.JSONField(default=list, blank=True)
    burndown_actual = models.JSONField(default=list, blank=True)
    distribution = models.JSONField(default=list, blank=True, help_text="Completion-date histogram for plotting.")
    calibration = models.JSONField(default=dict, blank=True)
    evidence = models.JSONField(default=dict, blank=True, help_text="The throughput sample behind the forecast.")
    model_version = models.CharField(max_length=100)
    reasoning = models.TextField(blank=True)
    analyzed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "milestone_forecasts"
        ordering = ["-analyzed_at", "-id"]
        get_latest_by = "analyzed_at"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(completion_probability__isnull=True)
                | (models.Q(completion_probability__gte=0) & models.Q(completion_probability__lte=100)),
                name="forecast_probability_percent",
            ),
            models.CheckConstraint(
                condition=models.Q(health_score__gte=0) & models.Q(health_score__lte=100),
                name="forecast_health_percent",
            ),
            models.CheckConstraint(condition=models.Q(status__in=ForecastStatus.values), name="forecast_status_valid"),
        ]
        indexes = [
            models.Index(fields=["milestone", "-analyzed_at"], name="idx_analysis_milestone"),
            models.Index(fields=["-analyzed_at"], name="idx_analysis_analyzed"),
            models.Index(fields=["status"], name="idx_analysis_status"),
        ]

    def __str__(self) -> str:
        return f"Forecast of {self.milestone} on {self.analyzed_at:%-d %b %Y, %H:%M}"
