"""Named queries that tables of every app share; a model takes them with
`objects = GitInsightQuerySet.as_manager()`, a tenant model (gitinsight.models.tenancy) with
TenantQuerySet, which it gets by default."""

from __future__ import annotations

from typing import Self

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models


class GitInsightQuerySet(models.QuerySet):
    #: how rows are ranked newest first (a model's QuerySet may rank by another date)
    newest_ordering: tuple[str, ...] = ("-created_at", "-pk")

    def newest_first(self) -> Self:
        return self.order_by(*self.newest_ordering)

    def latest_per(self, group: str) -> Self:
        """The newest row (by `newest_ordering`) of each `group`, with PostgreSQL DISTINCT ON.
        Models name their uses (`CheckFailureAnalysis.objects.latest_per_check_run()`); order
        the result again only by wrapping it (`pk__in=...values("pk")`), as DISTINCT ON needs
        `group` to lead the ordering."""
        return self.order_by(group, *self.newest_ordering).distinct(group)


class TenantQuerySet(GitInsightQuerySet):
    """Rows of a model that declares its `tenant_path`. Tenant isolation lives here: every
    query that returns tenant data goes through `visible_to` (or, for what a role allows,
    gitinsight.security.roles.permitted)."""

    def in_organizations(self, organization_ids: models.QuerySet) -> Self:
        """The rows of the organizations listed by `organization_ids` (a query of ids)."""
        return self.filter(**{self.model.tenant_lookup("in"): organization_ids})

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> Self:
        """The rows of the organizations the user belongs to; all rows for operators."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        # Membership's module builds its models on this one: import it when the query runs.
        from gitinsight.models.organization import Membership

        return self.in_organizations(Membership.objects.filter(user=user).values("organization_id"))
