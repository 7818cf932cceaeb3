from django.db import models

from gitinsight.models.querysets import TenantQuerySet
from gitinsight.models.tenancy import TenantModel


class RiskLevel(models.TextChoices):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class CommitRiskPredictionQuerySet(TenantQuerySet):
    def latest_per_commit(self) -> "CommitRiskPredictionQuerySet":
        """The latest prediction of each commit (an older model version's is history)."""
        return self.latest_per("commit_id")


class CommitRiskPrediction(TenantModel):
    """A commit's risk by one model version: never updated; a new model version makes new rows."""

    tenant_path = "commit__repository__organization"

    objects = CommitRiskPredictionQuerySet.as_manager()

    commit = models.ForeignKey("ingestion.Commit", on_delete=models.CASCADE, related_name="risk_predictions")
    model_version = models.ForeignKey("analysis.ModelVersion", on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField()
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    percentile = models.FloatField(
        null=True, blank=True,
        help_text="Share of the repository's other commits scored by the same version with a lower risk.",
    )
    top_features = models.JSONField(
        default=list, help_text="Factors that drove the score (SHAP, log-odds), each with its reason as a sentence."
    )
    created_at = models.DateTimeField(auto_now_add=True)

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
        level = self.get_risk_level_display().lower()
        return f"Risk of commit {self.commit.sha[:10]}: {self.probability:.0%} ({level})"


class PullRequestRiskPredictionQuerySet(TenantQuerySet):
    def latest_per_pull_request(self) -> "PullRequestRiskPredictionQuerySet":
        """The latest prediction of each pull request."""
        return self.latest_per("pull_request_id")


class PullRequestRiskPrediction(TenantModel):
    """Risk of a pull request at one head sha, from its commits' predictions: the chance that
    at least one commit is bug-inducing, 1 - prod(1 - p)."""

    tenant_path = "pull_request__repository__organization"

    objects = PullRequestRiskPredictionQuerySet.as_manager()

    pull_request = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE, related_name="risk_predictions")
    head_sha = models.CharField(max_length=64)
    model_version = models.ForeignKey("analysis.ModelVersion", on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField()
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    percentile = models.FloatField(null=True, blank=True, help_text="The riskiest commit's percentile.")
    commit_count = models.PositiveIntegerField(default=0)
    riskiest_commit = models.ForeignKey(
        "ingestion.Commit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    top_features = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

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
        return f"Risk of #{self.pull_request.number} at {self.head_sha[:10]}: {self.probability:.0%}"
