"""Whose rows a user may see, as row-level security's scope (gitinsight/database/tenant_scope.py)."""

from __future__ import annotations

from contextvars import Token

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from gitinsight.database.tenant_scope import NOBODY, SYSTEM, scope_set, user_scope_set


def user_scope_enter(user: AbstractBaseUser | AnonymousUser) -> Token:
    """Enter the scope of `user`: the organizations they belong to, every row for an operator
    (superuser), as `visible_to` gives them; nothing for an anonymous or inactive user.
    Returns the token that `scope_reset` takes."""
    if not user.is_authenticated or not user.is_active:
        return scope_set(NOBODY)
    if user.is_superuser:
        return scope_set(SYSTEM)
    return user_scope_set(user.pk)
