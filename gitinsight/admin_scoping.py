"""Admin classes whose lists show only the rows of the viewer's organizations.
Every app's admin for tenant data derives from TenantScopedAdmin."""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.http import Http404, HttpRequest

from gitinsight.selectors import visible_to


class HiddenAsNotFoundAdmin(admin.ModelAdmin):
    """A row outside get_queryset answers 404 on its change, history and delete pages, like a
    missing one, instead of the admin's "doesn't exist" redirect (which names the object id)."""

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} here.")
        return obj


class TenantScopedAdmin(HiddenAsNotFoundAdmin):
    #: how to reach the Organization from this model, e.g. "repository__organization"
    organization_path: str = "organization"

    def get_queryset(self, request: HttpRequest):
        return visible_to(super().get_queryset(request), request.user, organization_path=self.organization_path)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # A primary key typed into a form saves the row over whichever row has that key, another
        # organization's included: keys are never offered (the model's own admin gives them out).
        readonly = list(super().get_readonly_fields(request, obj))
        if self.opts.pk.editable and self.opts.pk.name not in readonly:
            readonly.append(self.opts.pk.name)
        return readonly

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
            return visible_to(queryset, request.user, organization_path=related_admin.organization_path)
        return queryset.filter(pk__in=related_admin.get_queryset(request).values("pk"))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
