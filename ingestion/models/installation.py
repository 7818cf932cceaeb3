from django.db import models

from gitinsight.models import Organization
from gitinsight.models.tenancy import TenantModel


class Installation(TenantModel):
    """A GitHub App installation (table `github_installations`). The account it is
    installed on maps to one Organization (tenant)."""

    tenant_path = "organization"

    github_id = models.BigIntegerField(unique=True, help_text="GitHub installation id.")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="installations"
    )
    account_login = models.CharField(max_length=255)
    account_type = models.CharField(max_length=20, blank=True, help_text="Organization or User.")
    account_github_id = models.BigIntegerField(null=True, blank=True)
    app_id = models.BigIntegerField(null=True, blank=True)
    app_slug = models.CharField(max_length=255, blank=True)
    repository_selection = models.CharField(max_length=20, blank=True)
    permissions = models.JSONField(default=dict, blank=True)
    events = models.JSONField(default=list, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "github_installations"
        ordering = ["account_login"]
        indexes = [models.Index(fields=["account_login"], name="idx_installations_account")]

    def __str__(self) -> str:
        return f"installation {self.github_id} ({self.account_login})"
