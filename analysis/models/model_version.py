from django.db import models

from gitinsight.models.tenancy import TenantModel


class ModelVersion(TenantModel):
    """A commit-risk model of one repository. At most one is active per repository; a new
    version becomes active only when it beats the active one on the same holdout. `algorithm`
    says which kind it is: "global" (the shipped global model, used until the repository has
    enough labelled commits of its own), "xgboost" (trained on the repository alone) or
    "blend" (both); `selection_reason` says why, in a sentence."""

    tenant_path = "repository__organization"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="risk_models")
    version = models.PositiveIntegerField()
    algorithm = models.CharField(max_length=30, default="xgboost")
    feature_version = models.PositiveSmallIntegerField()
    train_from = models.DateTimeField(null=True, blank=True)
    train_until = models.DateTimeField(null=True, blank=True)
    holdout_from = models.DateTimeField(null=True, blank=True)
    holdout_until = models.DateTimeField(null=True, blank=True)
    n_train = models.PositiveIntegerField(default=0)
    n_holdout = models.PositiveIntegerField(default=0)
    metrics = models.JSONField(default=dict, blank=True)
    selection_reason = models.TextField("why this model", blank=True, default="")
    model_bytes = models.BinaryField()
    is_active = models.BooleanField(default=False)
    promoted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "risk_model_versions"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["repository", "version"], name="risk_model_versions_unique"),
            models.UniqueConstraint(
                fields=["repository"], condition=models.Q(is_active=True), name="risk_model_versions_one_active"
            ),
        ]
        indexes = [models.Index(fields=["repository", "is_active"], name="idx_risk_models_repo_active")]

    def __str__(self) -> str:
        return f"{self.repository_id} v{self.version}{' (active)' if self.is_active else ''}"
