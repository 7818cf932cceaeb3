"""Admin classes whose lists show only the rows of the viewer's organizations, and whose
writes ask the viewer's role there (gitinsight.security.roles). Every app's admin for tenant data
derives from TenantScopedAdmin; the model's `tenant_path` (gitinsight.models.tenancy) says
which organization a row belongs to."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from gitinsight.security.roles import (
    Action,
    RoleRequired,
    organizations_where,
    permitted,
    refusal_anywhere,
    role_check,
    user_can,
)


def role_action(action: Action, *, description: str) -> Callable:
    """An admin action that needs `action`'s role: offered to whoever holds that role in some
    organization, and applied only to the selected rows of organizations where they hold it.
    A selection with no such row is refused (403) with the reason; a mixed one is applied to
    the permitted rows, and the others are named in a warning."""

    def decorate(function: Callable) -> Callable:
        @functools.wraps(function)
        def run(model_admin: TenantScopedAdmin, request: HttpRequest, queryset: QuerySet):
            return function(model_admin, request, model_admin.rows_permitting(request, queryset, action))

        run.required_action = action
        return admin.action(description=description)(run)

    return decorate


class HiddenAsNotFoundAdmin(admin.ModelAdmin):
    """A row outside get_queryset answers 404 on its change, history and delete pages, like a
    missing one, instead of the admin's "doesn't exist" redirect (which names the object id)."""

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} here.")
        return obj


class TenantScopedAdmin(HiddenAsNotFoundAdmin):
    """The admin of a tenant model (one that declares its `tenant_path`)."""

    #: what adding or changing a row asks of the viewer's role in its organization
    #: (None: nothing beyond the model permissions of maintainers)
    change_action: Action | None = None
    #: what deleting a row asks (None: the model permissions alone)
    delete_action: Action | None = None

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        # A path of the admin's own would be a second declaration, free to disagree with the model's.
        if "organization_path" in cls.__dict__:
            raise TypeError(f"{cls.__name__}: say how a row reaches its organization once, as its model's tenant_path")

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).visible_to(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # A primary key typed into a form saves the row over whichever row has that key, another
        # organization's included: keys are never offered (the model's own admin gives them out).
        readonly = list(super().get_readonly_fields(request, obj))
        if self.opts.pk.editable and self.opts.pk.name not in readonly:
            readonly.append(self.opts.pk.name)
        return readonly

    # --- roles --------------------------------------------------------------------------

    def role_allows(self, request: HttpRequest, action: Action | None, obj: Model | None = None) -> bool:
        """May the viewer do `action` to `obj`, or (without one) in some organization?"""
        if action is None or (request.user.is_active and request.user.is_superuser):
            return True
        if obj is None:
            cache = request.__dict__.setdefault("_gitinsight_role_anywhere", {})
            if action not in cache:
                cache[action] = organizations_where(request.user, action).exists()
            return cache[action]
        return user_can(request.user, action, obj)

    def rows_permitting(self, request: HttpRequest, queryset: QuerySet, action: Action) -> QuerySet:
        """The rows of `queryset` the viewer may do `action` to, after a warning that names the
        others; RoleRequired when there are rows and none of them is permitted."""
        allowed = permitted(queryset, request.user, action)
        selected, kept = queryset.count(), allowed.count()
        if selected and not kept:
            role_check(request.user, action, queryset.first())
        if kept < selected:
            refused = queryset.exclude(pk__in=allowed.values("pk")).first()
            try:
                role_check(request.user, action, refused)
            except RoleRequired as exc:
                self.message_user(request, f"Skipped {selected - kept} of the selected rows: {exc}", messages.WARNING)
        return allowed

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and self.role_allows(request, self.change_action)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self.role_allows(request, self.change_action, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self.role_allows(request, self.delete_action, obj)

    def get_actions(self, request: HttpRequest):
        return {name: entry for name, entry in super().get_actions(request).items()
                if self.role_allows(request, getattr(entry[0], "required_action", None))}

    def changelist_view(self, request: HttpRequest, extra_context=None):
        # An action the viewer is not offered would only get Django's "No action selected";
        # say why instead, for the rows they selected.
        if request.method == "POST" and ACTION_CHECKBOX_NAME in request.POST:
            for name in request.POST.getlist("action"):
                action = getattr(getattr(type(self), name, None), "required_action", None)
                if action is not None and not self.role_allows(request, action):
                    try:
                        selected = self.get_queryset(request).filter(
                            pk__in=request.POST.getlist(ACTION_CHECKBOX_NAME))
                        self.rows_permitting(request, selected, action)
                    except (ValueError, ValidationError):
                        pass  # ids of the wrong shape select nothing; Django says so
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request: HttpRequest, object_id=None, form_url="", extra_context=None):
        # Django answers a refused save with a bare 403; name the organization and the role.
        if request.method == "POST" and self.change_action is not None:
            if object_id is not None:
                obj = self.get_object(request, unquote(object_id))
                role_check(request.user, self.change_action, obj)
            elif not self.role_allows(request, self.change_action):
                raise RoleRequired(refusal_anywhere(self.change_action))
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request: HttpRequest, object_id, extra_context=None):
        if self.delete_action is not None:
            obj = self.get_object(request, unquote(object_id))
            role_check(request.user, self.delete_action, obj)
        return super().delete_view(request, object_id, extra_context)

    def save_model(self, request: HttpRequest, obj: Model, form, change: bool) -> None:
        # The form offers only permitted choices; this holds whatever a form lets through.
        if self.change_action is not None:
            role_check(request.user, self.change_action, obj)
        super().save_model(request, obj, form, change)

    def get_list_filter(self, request: HttpRequest):
        # A plain related-field filter offers every row of the related model, other tenants' too;
        # RelatedOnlyFieldListFilter offers only those referenced by rows of this (scoped) list.
        return [
            (entry, admin.RelatedOnlyFieldListFilter)
            if isinstance(entry, str) and get_fields_from_path(self.model, entry)[-1].is_relation else entry
            for entry in super().get_list_filter(request)
        ]

    def get_field_queryset(self, db, db_field, request: HttpRequest):
        # Form choices for a relation come from the related model's default manager: every tenant's
        # rows. Offer only those the related model's own admin shows this user.
        queryset = super().get_field_queryset(db, db_field, request)
        related_admin = self.admin_site._registry.get(db_field.remote_field.model)
        if related_admin is None:
            return queryset
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db).all()
        if isinstance(related_admin, TenantScopedAdmin):
            # Where rows are written with a role, offer only what the role allows there.
            action = self.change_action or Action.READ
            return permitted(queryset, request.user, action)
        return queryset.filter(pk__in=related_admin.get_queryset(request).values("pk"))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
