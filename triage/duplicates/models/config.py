from django.db import models

from gitinsight.models.tenancy import TenantModel


class ConfigSnapshot(TenantModel):
    """The exact thresholds and rules a run used (table `config_snapshots`); YAML text
    (JSON is valid YAML, which is what the services write)."""

    tenant_path = "repository__organization"
    tenant_shared_when_null = True  # the global configuration, every repository's default

    # Chosen by the server (triage.duplicates.services.config.config_snapshot_add), never typed: saving a form
    # with another snapshot's version would overwrite that snapshot, whoever's it is.
    config_version = models.PositiveIntegerField(primary_key=True, editable=False)
    repository = models.ForeignKey(
        "ingestion.Repository", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="Empty for the global configuration.",
    )
    classification_rules_yaml = models.TextField()
    thresholds_yaml = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(default=False)

    class Meta:
        db_table = "config_snapshots"
        ordering = ["-config_version"]
        indexes = [models.Index(fields=["repository", "is_active"], name="idx_config_repo_active")]

    def __str__(self) -> str:
        return f"config v{self.config_version}{' (active)' if self.is_active else ''}"
