from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from gitinsight.database.tenant_scope import scope_reset
from gitinsight.security.request_context import RequestContext, reset_request_context, set_request_context
from gitinsight.security.tenant_scopes import user_scope_enter


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy sets it.
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = RequestContext(
            ip_address=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:1000]
        )
        token = set_request_context(context)
        try:
            return self.get_response(request)
        finally:
            reset_request_context(token)


class TenantScopeMiddleware:
    """Row-level security's scope for the request (gitinsight/database/tenant_scope.py): the
    organizations of the signed-in user, the system's for an operator, none for anonymous
    requests. API keys are checked later, in the view: ApiKeyAuthentication narrows the
    scope to the key's user there. Put back when the response is made."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = user_scope_enter(request.user)
        try:
            return self.get_response(request)
        finally:
            scope_reset(token)
