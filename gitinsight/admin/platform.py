"""Admin pages of the platform's own models: users, organizations, API keys and the audit log."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from gitinsight.admin.scoping import HiddenAsNotFoundAdmin, ReadOnlyAdmin, TenantScopedAdmin
from gitinsight.models import ApiKey, AuditLog, Membership, Organization, User
from gitinsight.models.api_key import SCOPES
from gitinsight.services.api_keys import api_key_create, api_key_revoke


class UserAdmin(HiddenAsNotFoundAdmin, DjangoUserAdmin):
    list_display = ["username", "name", "email", "github_id", "subscription_tier", "is_staff", "last_login"]
    list_filter = ["subscription_tier", "is_staff", "is_superuser", "is_active"]
    search_fields = ["username", "name", "email"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("GitHub", {"fields": ["github_id", "avatar_url", "name", "bio", "location", "company", "subscription_tier"]}),
    ]

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk=request.user.pk)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class OrganizationAdmin(TenantScopedAdmin):
    organization_path = "pk"
    list_display = ["login", "name", "github_id", "created_at"]
    search_fields = ["login", "name"]
    inlines = [MembershipInline]


class ApiKeyAddForm(forms.ModelForm):
    permissions = forms.MultipleChoiceField(choices=[(s, s) for s in SCOPES], widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiKey
        fields = ["user", "name", "permissions", "rate_limit", "expires_at"]


class ApiKeyAdmin(HiddenAsNotFoundAdmin):
    list_display = ["name", "prefix", "user", "permissions", "rate_limit", "is_active", "last_used", "expires_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix", "user__username"]
    actions = ["revoke_keys"]
    readonly_fields = ["prefix", "key_hash", "last_used", "created_at", "revoked_at", "is_active"]

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiKeyAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return [] if obj is None else [*self.readonly_fields, "user", "permissions"]

    def save_model(self, request: HttpRequest, obj: ApiKey, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = api_key_create(
            user=form.cleaned_data["user"],
            name=form.cleaned_data["name"],
            permissions=form.cleaned_data["permissions"],
            rate_limit=form.cleaned_data["rate_limit"],
            expires_at=form.cleaned_data["expires_at"],
        )
        obj.pk = created.api_key.pk
        obj.refresh_from_db()
        messages.warning(request, f"Copy this key now, it will not be shown again: {created.plaintext}")

    @admin.action(description="Revoke selected keys")
    def revoke_keys(self, request: HttpRequest, queryset) -> None:
        for api_key in queryset:
            api_key_revoke(api_key=api_key, by=request.user)
        self.message_user(request, f"Revoked {queryset.count()} key(s).")


class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "action", "resource_type", "resource_id", "ip_address"]
    list_filter = ["action", "resource_type"]
    search_fields = ["action", "resource_id", "user__username"]
    date_hierarchy = "created_at"

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser


def platform_admin_register(site: admin.AdminSite) -> None:
    site.register(User, UserAdmin)
    site.register(Organization, OrganizationAdmin)
    site.register(ApiKey, ApiKeyAdmin)
    site.register(AuditLog, AuditLogAdmin)
