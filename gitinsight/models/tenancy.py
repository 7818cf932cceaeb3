"""Tenancy, declared once per model. Every table that holds an organization's data derives from
TenantModel and names, in `tenant_path`, the way from one of its rows to that Organization as a
lookup ("organization", "repository__organization", "check_run__repository__organization"...).

Everything that scopes reads it: `Model.objects.visible_to(user)` for the API, selectors and
admin lists, `gitinsight.security.roles` for what a role may do to a row, the admin
(`gitinsight.admin.scoping.TenantScopedAdmin`) for both. Code that writes SQL from it (policies,
checks) reads `tenant_fields()`, the foreign keys the path follows.

What other code may rely on, and what stays stable:
- `Model.tenant_path`: a str, a chain of forward foreign keys (or one-to-one keys) ending at
  Organization ("repository__organization"), or ITSELF ("pk") on Organization.
- `Model.tenant_fields()`: those keys as Django fields, in order from the model; each field's
  `column` and `related_model._meta.db_table` give the join for SQL. Empty for Organization.
  The last field's column holds the organization id; a path's key may be NULL (a row of no
  organization, such as the global triage config), and such a row belongs to no tenant.
- `Model.tenant_lookup(lookup)`, `row.tenant_organization_id()`.
- `Model.objects.visible_to(user)`, `Model.objects.in_organizations(ids)` (TenantQuerySet).
Every model with a foreign-key path to Organization derives from TenantModel;
tests/gitinsight/test_tenant_walk.py fails for one that does not."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from gitinsight.models.querysets import TenantQuerySet

#: `tenant_path` of the Organization itself
ITSELF = "pk"


class TenantModel(models.Model):
    #: how a row reaches its Organization, as a lookup ("repository__organization"); ITSELF for Organization
    tenant_path: ClassVar[str]
    #: rows of no organization (a null first hop) are shared, readable by every organization
    #: (the installation's default configuration); otherwise they are the system's alone
    tenant_shared_when_null: ClassVar[bool] = False

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def tenant_fields(cls) -> tuple[models.ForeignKey, ...]:
        """The foreign keys `tenant_path` follows, from this model to Organization, in order: for
        "repository__organization", this model's `repository` then Repository's `organization`.
        Empty for the Organization itself."""
        if cls.tenant_path == ITSELF:
            return ()
        fields, model = [], cls
        for name in cls.tenant_path.split("__"):
            field = model._meta.get_field(name)
            fields.append(field)
            model = field.related_model
        return tuple(fields)

    @classmethod
    def tenant_lookup(cls, lookup: str) -> str:
        """`lookup` applied to the row's organization, e.g. "repository__organization__in"."""
        return f"{cls.tenant_path}__{lookup}"

    def tenant_organization_id(self) -> int | None:
        """The id of the organization this row belongs to; None for a row of none (the global
        triage config, a delivery of no stored repository)."""
        if self.tenant_path == ITSELF:
            return self.pk
        *hops, last = self.tenant_fields()
        row: models.Model | None = self
        for field in hops:
            row = getattr(row, field.name)
            if row is None:
                return None
        return getattr(row, last.attname)
