"""Reads of the platform's own rows. Tenant data is read through its model's
`objects.visible_to(user)` (gitinsight.models.tenancy)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from gitinsight.models import ApiKey, Membership
from gitinsight.security.roles import Action, organizations_where


def api_keys_for_user(user: AbstractBaseUser) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(user=user)


def api_keys_manageable_by(user: AbstractBaseUser, queryset: QuerySet[ApiKey] | None = None) -> QuerySet[ApiKey]:
    """The user's own keys and, for owners, the keys of the members of their organizations
    (they may revoke them); every key for operators."""
    queryset = ApiKey.objects.all() if queryset is None else queryset
    if user.is_superuser:
        return queryset
    members = Membership.objects.filter(organization_id__in=organizations_where(user, Action.MANAGE_KEYS))
    return queryset.filter(Q(user=user) | Q(user__in=members.values("user_id")))
