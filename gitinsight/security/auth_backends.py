"""The first authentication backend: it signs nobody in by password, it stops a password sign-in
of an account that signs in with GitHub before any backend checks the password (allauth's
backend would otherwise hand such a user to its own login flow). Being first, it is also the
backend of sessions started without one (force_login), so it loads users and permissions as
ModelBackend does."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from gitinsight.security.login_policy import local_password_allowed, users_named


class LocalPasswordPolicyBackend(ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **credentials):
        if password is None or not username:
            return None
        if any(not local_password_allowed(user) for user in users_named(username)):
            # As long as a wrong password would take, so the refusal tells a guesser nothing.
            get_user_model()().set_password(password)
            raise PermissionDenied  # authenticate() stops here and reports a failed login
        return None
