from django.db import models

from gitinsight.models.tenancy import TenantModel


class WebhookDelivery(TenantModel):
    """Idempotency log of GitHub deliveries (table `webhook_deliveries`). The raw
    payload is kept for WEBHOOK_PAYLOAD_RETENTION_DAYS so a delivery can be re-processed,
    then cleared; the sha256 stays for auditing."""

    tenant_path = "repository__organization"

    class Status(models.TextChoices):
        RECEIVED = "RECEIVED"
        PROCESSED = "PROCESSED"
        SKIPPED = "SKIPPED"
        FAILED = "FAILED"
        #: the payload named rows of another repository or organization; nothing was written
        REFUSED = "REFUSED"

    delivery_id = models.CharField(max_length=100, primary_key=True)
    event = models.CharField(max_length=100)
    action = models.CharField(max_length=100, blank=True)
    payload_sha256 = models.CharField(max_length=64)
    payload = models.JSONField(null=True, blank=True)
    repository = models.ForeignKey(
        "ingestion.Repository", null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    repository_github_id = models.BigIntegerField(null=True, blank=True)
    installation_github_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "webhook_deliveries"
        ordering = ["-received_at"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["RECEIVED", "PROCESSED", "SKIPPED", "FAILED", "REFUSED"]),
                name="webhook_deliveries_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["repository", "-received_at"], name="idx_deliveries_repo_received"),
            models.Index(fields=["status", "received_at"], name="idx_deliveries_status"),
            models.Index(fields=["event", "action"], name="idx_deliveries_event"),
        ]

    def __str__(self) -> str:
        return f"{self.event}.{self.action} {self.delivery_id}" if self.action else f"{self.event} {self.delivery_id}"
