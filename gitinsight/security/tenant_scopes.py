"""Whose rows a user may see, as row-level security's scope (gitinsight/database/tenant_scope.py)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from gitinsight.database.tenant_scope import NOBODY, SYSTEM, TenantScope, organizations_scope_for, system_scope
from gitinsight.models.organization import Membership


def user_scope(user: AbstractBaseUser | AnonymousUser) -> TenantScope:
    """The organizations `user` belongs to; every row for an operator (superuser), as
    `visible_to` gives them; nothing for an anonymous or inactive user."""
    if not user.is_authenticated or not user.is_active:
        return NOBODY
    if user.is_superuser:
        return SYSTEM
    # Memberships are themselves rows of organizations: read them before the scope exists.
    with system_scope():
        organization_ids = list(Membership.objects.filter(user=user).values_list("organization_id", flat=True))
    return organizations_scope_for(organization_ids)
