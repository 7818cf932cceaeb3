from django.conf import settings
from django.db import models

from gitinsight.models.tenancy import TenantModel


class RiskSeverity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class RiskAssessment(TenantModel):
    """A risk found by one forecast (table `risk_assessments`). Probability and confidence are 0-100."""

    tenant_path = "forecast__milestone__repository__organization"

    forecast = models.ForeignKey("sprints.ForecastResult", on_delete=models.CASCADE, related_name="risks")
    risk_type = models.CharField(max_length=100)
    severity = models.CharField(max_length=20, choices=RiskSeverity.choices)
    probability = models.DecimalField(max_digits=5, decimal_places=2)
    impact_days = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    affected_issues = models.JSONField(default=list, blank=True, help_text="Issue / pull request numbers.")
    evidence = models.JSONField(default=dict, blank=True)
    confidence = models.DecimalField(max_digits=5, decimal_places=2)
    detected_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "risk_assessments"
        ordering = ["-detected_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(probability__gte=0) & models.Q(probability__lte=100), name="risk_probability_percent"
            ),
            models.CheckConstraint(condition=models.Q(severity__in=RiskSeverity.values), name="risk_severity_valid"),
        ]
        indexes = [
            models.Index(fields=["forecast"], name="idx_risks_analysis"),
            models.Index(fields=["risk_type"], name="idx_risks_type"),
            models.Index(fields=["severity"], name="idx_risks_severity"),
            models.Index(fields=["-detected_at"], name="idx_risks_detected"),
        ]

    def __str__(self) -> str:
        return self.title


class Recommendation(TenantModel):
    """What to do about a forecast (table `recommendations`). Accepting records who and when."""

    tenant_path = "forecast__milestone__repository__organization"

    forecast = models.ForeignKey("sprints.ForecastResult", on_delete=models.CASCADE, related_name="recommendations")
    risk = models.ForeignKey(
        RiskAssessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="recommendations"
    )
    category = models.CharField(max_length=100)
    priority = models.PositiveSmallIntegerField(help_text="1-5, 5 highest.")
    action = models.TextField()
    rationale = models.TextField(blank=True)
    expected_impact = models.TextField(blank=True)
    effort_estimate = models.PositiveIntegerField(help_text="Person-hours.")
    affected_issues = models.JSONField(default=list, blank=True)
    accepted = models.BooleanField(default=False)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "recommendations"
        ordering = ["-priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(priority__gte=1) & models.Q(priority__lte=5), name="recommendation_priority_range"
            ),
            models.CheckConstraint(
                condition=models.Q(accepted=False) | models.Q(accepted_at__isnull=False),
                name="recommendation_accepted_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["forecast"], name="idx_recommendations_analysis"),
            models.Index(fields=["risk"], name="idx_recommendations_risk"),
            models.Index(fields=["-priority"], name="idx_recommendations_priority"),
            models.Index(fields=["accepted"], name="idx_recommendations_accepted"),
        ]

    def __str__(self) -> str:
        return self.action[:80]
