from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

SCOPES = ("read", "write", "admin")


class ApiKeyQuerySet(models.QuerySet):
    def usable(self) -> ApiKeyQuerySet:
        now = timezone.now()
        return self.filter(is_active=True).filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class ApiKey(models.Model):
    """A key for API clients. Only the SHA-256 of the key is stored; the key itself is
    shown once, when it is created (see services.api_keys.api_key_create)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=255)
    prefix = models.CharField(max_length=16, help_text="The first characters of the key, to recognise it.")
    key_hash = models.CharField(max_length=64, unique=True)
    permissions = ArrayField(models.CharField(max_length=10), default=list)
    rate_limit = models.PositiveIntegerField(default=1000, help_text="Requests per hour.")
    last_used = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        db_table = "api_keys"
        verbose_name = "API key"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["is_active"], name="idx_api_keys_is_active"),
            models.Index(fields=["expires_at"], name="idx_api_keys_expires_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(permissions__contained_by=list(SCOPES)), name="api_keys_permissions_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def allows(self, scope: str) -> bool:
        """admin implies write, write implies read."""
        granted = set(self.permissions)
        if "admin" in granted:
            return True
        if scope == "read":
            return bool(granted & {"read", "write"})
        return scope in granted


class RateLimitCounter(models.Model):
    """Requests per (bucket, window), incremented atomically in SQL so that every
    worker process shares one count."""

    bucket = models.CharField(max_length=100)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "rate_limit_counters"
        constraints = [
            models.UniqueConstraint(fields=["bucket", "window_start"], name="rate_limit_unique_window"),
        ]
        indexes = [models.Index(fields=["window_start"], name="idx_rate_limit_window")]

    def __str__(self) -> str:
        return f"{self.bucket} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
