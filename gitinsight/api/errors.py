"""One JSON shape for every API error: {"error": {"status", "code", "message"}}."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


def error_body(status: int, code: str, message, *, details=None) -> dict:
    body = {"status": status, "code": code, "message": message}
    if details is not None:
        body["details"] = details
    return {"error": body}


def json_exception_handler(exc, context) -> Response:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        # Anything unexpected: log it with its traceback, show the client no internals.
        logger.exception("Unhandled API error", exc_info=exc)
        return Response(error_body(500, "server_error", "Internal server error."), status=500)

    if isinstance(exc, exceptions.ValidationError):
        body = error_body(response.status_code, "invalid", "The request is invalid.", details=response.data)
    else:
        detail = getattr(exc, "detail", str(exc))
        code = detail.code if hasattr(detail, "code") else getattr(exc, "default_code", "error")
        body = error_body(response.status_code, str(code), str(detail))
    response.data = body
    return response


def api_not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    return JsonResponse(error_body(404, "not_found", f"No API endpoint at {request.path}."), status=404)
