"""Reads shared by every app. Tenant isolation lives here: every query that returns
tenant data goes through `visible_to`."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from gitinsight.models import ApiKey, Membership, Organization
from gitinsight.security.roles import Action, organizations_where


def organizations_for_user(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Organization]:
    return visible_to(Organization.objects.all(), user, organization_path="pk")


def visible_to(queryset: QuerySet, user: AbstractBaseUser | AnonymousUser, *, organization_path: str) -> QuerySet:
    """Restrict `queryset` to rows whose organization (reached by `organization_path`,
    e.g. "organization" or "repository__organization") the user belongs to."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    organization_ids = Membership.objects.filter(user=user).values("organization_id")
    return queryset.filter(**{f"{organization_path}__in": organization_ids})


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
