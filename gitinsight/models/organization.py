from django.conf import settings
from django.db import models

from gitinsight.models.tenancy import ITSELF, TenantModel


class Organization(TenantModel):
    """A tenant: repositories and everything derived from them belong to one."""

    tenant_path = ITSELF

    github_id = models.BigIntegerField(unique=True, null=True, blank=True)
    login = models.CharField(max_length=255, unique=True)
    name = models.CharField(max_length=255, blank=True)
    avatar_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organizations"
    )

    class Meta:
        db_table = "organizations"
        ordering = ["login"]

    def __str__(self) -> str:
        return self.login


class Membership(TenantModel):
    tenant_path = "organization"

    class Role(models.TextChoices):
        MEMBER = "member"
        ADMIN = "admin"
        OWNER = "owner"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "organization_memberships"
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique_user_per_org"),
            models.CheckConstraint(
                condition=models.Q(role__in=["member", "admin", "owner"]), name="membership_role_valid"
            ),
        ]
        indexes = [models.Index(fields=["user", "organization"], name="idx_membership_user_org")]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"
