"""allauth's pages that give an account a local password, closed to GitHub accounts unless an
operator allows local passwords (gitinsight.security.login_policy)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from gitinsight.security.login_policy import local_password_allowed, local_password_refusal


def local_passwords_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def page(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated and not local_password_allowed(request.user):
            raise PermissionDenied(local_password_refusal(request.user))
        return view(request, *args, **kwargs)

    return page
