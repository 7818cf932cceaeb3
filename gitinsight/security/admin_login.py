"""/admin/login/: refused after too many wrong passwords (429, with the reason), and for a
GitHub account's password (with the reason once the password is right)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from gitinsight.security.login_policy import local_password_allowed, local_password_refusal, login_refusal, users_named
from gitinsight.security.middleware import client_ip

TOO_MANY = "too_many_attempts"


class AdminLoginForm(AdminAuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username") or ""
        refusal = login_refusal(ip=client_ip(self.request), username=username) if self.request else None
        if refusal:
            raise ValidationError(refusal, code=TOO_MANY)
        try:
            return super().clean()
        except ValidationError as error:
            password = self.cleaned_data.get("password") or ""
            for user in users_named(username):
                # Said only to whoever knows the password, so it tells a guesser nothing.
                if not local_password_allowed(user) and user.check_password(password):
                    raise ValidationError(local_password_refusal(user), code="github_account") from error
            raise


def admin_login(request: HttpRequest) -> HttpResponse:
    response = admin.site.login(request)
    form = (getattr(response, "context_data", None) or {}).get("form")
    if form is not None and form.is_bound and any(
        error.code == TOO_MANY for error in form.non_field_errors().as_data()
    ):
        response.status_code = 429
    return response
