from django.conf import settings
from django.db import models


class AuditLog(models.Model):
    """Append-only record of who changed what. Rows are never updated or deleted
    through the application (the admin is read-only for it).

    The table is partitioned by month on created_at (migration 0003, gitinsight.database.audit_partitions).
    Postgres wants the partition key in the primary key, so the database's key is
    (id, created_at) while Django keeps `id` alone: ids come from one sequence and stay unique.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # idx_audit_logs_user_created serves lookups by user
    )
    action = models.CharField(max_length=100)
    resource_type = models.CharField(max_length=50)
    resource_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "audit_logs"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["action"], name="idx_audit_logs_action"),
            models.Index(fields=["resource_type", "resource_id"], name="idx_audit_logs_resource"),
            models.Index(fields=["-created_at"], name="idx_audit_logs_created_at"),
            models.Index(fields=["user", "-created_at"], name="idx_audit_logs_user_created"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.resource_type}:{self.resource_id}"

    def save(self, *args, **kwargs) -> None:
        # A database trigger (migration 0002) enforces the same for raw SQL.
        if not self._state.adding:
            raise ValueError("Audit log rows are append-only.")
        super().save(*args, **kwargs)
