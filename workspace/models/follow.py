from django.conf import settings
from django.db import models

from gitinsight.models.tenancy import TenantModel

DEFAULT_NOTIFICATION_SETTINGS = {
    "email": True,
    "push": False,
    "events": ["high_risk_commit", "same_change_duplicate", "new_check_failure", "milestone_at_risk"],
}


def default_notification_settings() -> dict:
    return {**DEFAULT_NOTIFICATION_SETTINGS, "events": list(DEFAULT_NOTIFICATION_SETTINGS["events"])}


class RepositoryFollow(TenantModel):
    """A user following a repository (table `user_repository_follows`)."""

    tenant_path = "repository__organization"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="follows")
    followed_at = models.DateTimeField(auto_now_add=True)
    notification_settings = models.JSONField(default=default_notification_settings)

    class Meta:
        db_table = "user_repository_follows"
        constraints = [
            models.UniqueConstraint(fields=["user", "repository"], name="follows_unique_user_repository"),
        ]
        indexes = [
            models.Index(fields=["repository"], name="idx_follows_repository"),
            models.Index(fields=["-followed_at"], name="idx_follows_followed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.repository}"

    def wants(self, event_kind: str, channel: str = "email") -> bool:
        settings_ = self.notification_settings or {}
        return bool(settings_.get(channel)) and event_kind in settings_.get("events", [])


class Notification(TenantModel):
    """One notice to one user about one event; `event_key` makes sending idempotent."""

    tenant_path = "repository__organization"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    event_key = models.CharField(max_length=200, help_text="e.g. high_risk_commit:<sha>; unique per user.")
    subject = models.CharField(max_length=255)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    channel = models.CharField(max_length=10, default="email")
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "notifications"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event_key", "channel"], name="notifications_once_per_event"),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="idx_notifications_user")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.user}: {self.subject}"
