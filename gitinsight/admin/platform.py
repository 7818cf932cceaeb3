"""Admin pages of the platform's own models: users, organizations, API keys and the audit log."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget
from django.http import HttpRequest
from django.utils.translation import ngettext

from gitinsight.admin.scoping import HiddenAsNotFoundAdmin, ReadOnlyAdmin, TenantScopedAdmin
from gitinsight.models import ApiKey, AuditLog, Membership, Organization, User
from gitinsight.models.api_key import SCOPES
from gitinsight.presentation import code
from gitinsight.security.roles import Action, user_can
from gitinsight.selectors import api_keys_manageable_by
from gitinsight.services.api_keys import ApiKeyRefused, api_key_create, api_key_rate_limit_check, api_key_revoke
from gitinsight.services.maintainers import staff_status_set


class PasswordSummaryWidget(ReadOnlyPasswordHashWidget):
    """Django's summary of a stored password, its parts (the algorithm `pbkdf2_sha256`, the
    masked salt and hash) quoted as code: they are identifiers, not words."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for entry in context["summary"]:
            if entry.get("value"):
                entry["value"] = code(entry["value"])
        return context


class UserAdmin(HiddenAsNotFoundAdmin, DjangoUserAdmin):
    list_display = ["username", "name", "email", "github_id", "subscription_tier", "is_staff", "last_login"]
    list_filter = ["subscription_tier", "is_staff", "staff_revoked", "is_superuser", "is_active"]
    search_fields = ["username", "name", "email"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("GitHub", {"fields": ["github_id", "avatar_url", "name", "bio", "location", "company", "subscription_tier"]}),
    ]
    readonly_fields = ["staff_revoked"]

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, ("Staff status", {"fields": ["staff_revoked"],
                                              "description": "Staff status follows the user's memberships. Unticking "
                                                             "it withdraws it for good: a membership or a GitHub "
                                                             "login does not give it back."})]

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk=request.user.pk)

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "password" in form.base_fields and obj is not None:
            form.base_fields["password"].widget = PasswordSummaryWidget()
        return form

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_staff" in form.changed_data:
            staff_status_set(user=obj, is_staff=obj.is_staff, by=request.user)


class MemberField(forms.ModelChoiceField):
    """A member named by their username (their GitHub login): owners add people who have signed in
    once, without a list of every user of the server to pick from."""

    widget = forms.TextInput

    def __init__(self, **kwargs) -> None:
        kwargs.pop("queryset", None)
        kwargs.pop("limit_choices_to", None)
        super().__init__(queryset=User.objects.all(), to_field_name="username", **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return User.objects.filter(pk=value).values_list("username", flat=True).first()
        return super().prepare_value(value)

    def to_python(self, value):
        try:
            return super().to_python(value.strip() if isinstance(value, str) else value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(f"Nobody called {value} has signed in here yet; ask them to sign in with "
                                        "GitHub once, then add them.", code="invalid_choice") from exc


class MembershipForm(forms.ModelForm):
    user = MemberField(label="user (GitHub login)")

    class Meta:
        model = Membership
        fields = ["user", "role"]


class MembershipFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = [form.cleaned_data for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if kept and not any(row.get("role") == Membership.Role.OWNER for row in kept):
            raise forms.ValidationError(f"{self.instance.login} needs at least one owner among its members.")


class MembershipInline(admin.TabularInline):
    """Owners add, change and remove the members of their organization; members and admins see them."""

    model = Membership
    form = MembershipForm
    formset = MembershipFormSet
    extra = 0

    def _owner(self, request: HttpRequest, organization: Organization | None) -> bool:
        return organization is not None and user_can(request.user, Action.MANAGE_MEMBERS, organization)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_add_permission(request, obj) and self._owner(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._owner(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._owner(request, obj)


class OrganizationAdmin(TenantScopedAdmin):
    change_action = Action.MANAGE_MEMBERS
    list_display = ["login", "name", "github_id", "created_at"]
    search_fields = ["login", "name"]
    inlines = [MembershipInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser  # organizations are set up by operators

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # Owners manage the members; the organization's identity (its GitHub id above all) is the operators'.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["login", "name", "github_id", "avatar_url"]


class ApiKeyAddForm(forms.ModelForm):
    permissions = forms.MultipleChoiceField(choices=[(s, s) for s in SCOPES], widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiKey
        fields = ["user", "name", "permissions", "rate_limit", "expires_at"]

    def clean_rate_limit(self) -> int:
        return _checked(api_key_rate_limit_check, self.cleaned_data["rate_limit"])


class ApiKeyChangeForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["name", "rate_limit", "expires_at"]

    def clean_rate_limit(self) -> int:
        return _checked(api_key_rate_limit_check, self.cleaned_data["rate_limit"])


def _checked(check, value):
    try:
        check(value)
    except ApiKeyRefused as exc:
        raise forms.ValidationError(str(exc)) from exc
    return value


class ApiKeyAdmin(HiddenAsNotFoundAdmin):
    """Everyone sees their own keys; owners also see (and may revoke) the keys of their organizations'
    members; operators see every key."""

    list_display = ["name", "prefix", "user", "permissions", "rate_limit", "is_active", "last_used", "expires_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix", "user__username"]
    actions = ["revoke_keys"]
    readonly_fields = ["prefix", "key_hash", "last_used", "created_at", "revoked_at", "is_active"]

    def get_queryset(self, request: HttpRequest):
        return api_keys_manageable_by(request.user, super().get_queryset(request))

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        kwargs["form"] = ApiKeyAddForm if obj is None else ApiKeyChangeForm
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
        revoked = queryset.count()
        for api_key in queryset:
            api_key_revoke(api_key=api_key, by=request.user)
        self.message_user(request,
                          ngettext("Revoked %(count)d key.", "Revoked %(count)d keys.", revoked) % {"count": revoked})


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
