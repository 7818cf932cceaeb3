from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A maintainer or operator. GitHub users arrive through allauth; operators may
    have no GitHub identity at all (github_id is null)."""

    class Tier(models.TextChoices):
        FREE = "free"
        PREMIUM = "premium"
        ENTERPRISE = "enterprise"

    github_id = models.BigIntegerField(unique=True, null=True, blank=True)
    avatar_url = models.URLField(max_length=500, blank=True)
    name = models.CharField(max_length=255, blank=True)
    bio = models.TextField(blank=True)
    location = models.CharField(max_length=255, blank=True)
    company = models.CharField(max_length=255, blank=True)
    subscription_tier = models.CharField(max_length=20, choices=Tier.choices, default=Tier.FREE)
    staff_revoked = models.BooleanField(
        "staff status withdrawn", default=False,
        help_text="An operator withdrew this user's staff status: neither a membership nor a GitHub login gives it "
                  "back (ticking staff status again does).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "users"
        indexes = [
            models.Index(fields=["username"], name="idx_users_username"),
            models.Index(fields=["email"], name="idx_users_email"),
            models.Index(fields=["subscription_tier"], name="idx_users_subscription"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subscription_tier__in=["free", "premium", "enterprise"]),
                name="users_subscription_tier_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.username
