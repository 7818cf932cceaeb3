"""How GitHub logins become maintainers: the profile fills the User fields; admin access follows
the user's memberships (gitinsight.services.maintainers.staff_status_sync). Password sign-ins
through allauth obey the same rules as the admin login (gitinsight.security.login_policy)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.contrib import messages
from django.http import HttpRequest

from gitinsight.models import User
from gitinsight.security.login_policy import local_password_allowed, login_refusal
from gitinsight.security.middleware import client_ip
from gitinsight.services.maintainers import maintainer_update_from_github


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Local accounts are created by operators (createsuperuser); people sign in with GitHub.
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        username = credentials.get("username") or credentials.get("email") or ""
        refusal = login_refusal(ip=client_ip(request), username=username)
        if refusal:
            raise forms.ValidationError(refusal)
        super().pre_authenticate(request, **credentials)

    def send_password_reset_mail(self, user, email: str, context: dict[str, Any]) -> None:
        # A GitHub account gets no local password by e-mail either; the page says "sent" all the
        # same, so that it tells nobody which addresses belong to GitHub accounts.
        if local_password_allowed(user):
            super().send_password_reset_mail(user, email, context)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        return True

    def save_user(self, request: HttpRequest, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        user = maintainer_update_from_github(user=user, profile=sociallogin.account.extra_data)
        _say_why_no_workspace(request, user)
        return user

    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        if sociallogin.is_existing:
            maintainer_update_from_github(user=sociallogin.user, profile=sociallogin.account.extra_data)
            _say_why_no_workspace(request, sociallogin.user)


def _say_why_no_workspace(request: HttpRequest, user: User) -> None:
    if user.is_staff:
        return
    if user.staff_revoked:
        messages.warning(request, f"Signed in as {user.username}, but an operator has withdrawn your access to "
                                  "the workspace.")
    else:
        messages.info(request, f"Signed in as {user.username}. An owner of your organization has to add "
                               f"{user.username} as a member before its workspace opens here.")
