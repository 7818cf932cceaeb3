"""Admin classes whose lists show only the rows of the viewer's organizations.
Every app's admin for tenant data derives from TenantScopedAdmin."""

from django.contrib import admin
from django.http import HttpRequest

from gitinsight.selectors import visible_to


class TenantScopedAdmin(admin.ModelAdmin):
    #: how to reach the Organization from this model, e.g. "repository__organization"
    organization_path: str = "organization"

    def get_queryset(self, request: HttpRequest):
        return visible_to(super().get_queryset(request), request.user, organization_path=self.organization_path)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
