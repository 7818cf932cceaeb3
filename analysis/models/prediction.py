from django.db import models

from gitinsight.models.querysets import GitInsightQuerySet


class RiskLevel(models.TextChoices):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class CommitRiskPrediction(models.Model):
    """Seed 000 "predictions": never updated; a new model version makes new rows."""

    commit = models.ForeignKey("ingestion.Commit", on_delete=models.CASCADE, related_name="risk_predictions")
    model_version = models.ForeignKey("analysis.ModelVersion", on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField()
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    top_features = models.JSONField(default=list, help_text="Features that drove the score (SHAP, log-odds).")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GitInsightQuerySet.as_manager()

    class Meta:
        db_table = "commit_risk_predictions"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["commit", "model_version"], name="commit_risk_unique_per_model"),
            models.CheckConstraint(
                condition=models.Q(probability__gte=0) & models.Q(probability__lte=1), name="commit_risk_probability"
            ),
        ]
        indexes = [
            models.Index(fields=["commit"], name="idx_commit_risk_commit"),
            models.Index(fields=["model_version", "-probability"], name="idx_commit_risk_model_prob"),
            models.Index(fields=["risk_level", "-created_at"], name="idx_commit_risk_level"),
        ]

    def __str__(self) -> str:
        return f"{self.commit_id}: {self.probability:.2f} ({self.risk_level})"


class PullRequestRiskPrediction(models.Model):
    """Risk of a pull request at one head sha, from its commits' predictions: the chance that
    at least one commit is bug-inducing, 1 - prod(1 - p)."""

    pull_request = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE, related_name="risk_predictions")
    head_sha = models.CharField(max_length=64)
    model_version = models.ForeignKey("analysis.ModelVersion", on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField()
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    commit_count = models.PositiveIntegerField(default=0)
    riskiest_commit = models.ForeignKey(
        "ingestion.Commit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    top_features = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GitInsightQuerySet.as_manager()

    class Meta:
        db_table = "pull_request_risk_predictions"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pull_request", "head_sha", "model_version"], name="pr_risk_unique_per_head_model"
            ),
        ]
        indexes = [
            models.Index(fields=["pull_request", "-created_at"], name="idx_pr_risk_pr"),
            models.Index(fields=["risk_level", "-created_at"], name="idx_pr_risk_level"),
        ]

    def __str__(self) -> str:
        return f"{self.pull_request_id}@{self.head_sha[:8]}: {self.probability:.2f}"
