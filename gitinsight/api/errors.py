"""One JSON shape for every API error: {"error": {"status", "code", "message"}}."""

from __future__ import annotations

import logging
import traceback

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import DataError
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


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "The request body is too large (DATA_UPLOAD_MAX_MEMORY_SIZE)."
    default_code = "payload_too_large"


def _raised_while_parsing(exc: BaseException) -> bool:
    """DRF's JSON parser turns ValueError into a 400 but lets RecursionError (JSON nested
    thousands deep) through; one raised elsewhere is a server bug and stays a 500."""
    return any(frame.f_code.co_filename.endswith("rest_framework/parsers.py")
               for frame, _ in traceback.walk_tb(exc.__traceback__))


def json_exception_handler(exc, context) -> Response:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        # Our refusals (gitinsight.security.roles) say why in a sentence; Django's own carry no message.
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        # What Django itself answers 400 to (too many fields, a bad multipart boundary...).
        exc = exceptions.ParseError(str(exc) or "The request is malformed.")
    elif isinstance(exc, RecursionError) and _raised_while_parsing(exc):
        exc = exceptions.ParseError("JSON parse error - nested too deeply.")
    elif isinstance(exc, DataError):
        # A value PostgreSQL cannot take (a NUL in a string, a time zone or number out of
        # range) came in with the request: the client's mistake, not the server's.
        logger.info("API request refused by the database: %s", exc)
        exc = exceptions.ValidationError(
            {"detail": "A value in the request is out of range or holds characters that cannot be stored (NUL)."}
        )
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
