"""Error pages: JSON under /api/ and /webhooks/, a plain page elsewhere; never a traceback."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from gitinsight.api.errors import error_body

JSON_PREFIXES = ("/api/", "/webhooks/", "/healthz")


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(JSON_PREFIXES)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Our refusals (roles, local passwords) are sentences written for the person; Django's own are empty.
    message = str(exception or "") or "You may not do this here."
    if _wants_json(request):
        return JsonResponse(error_body(403, "permission_denied", message), status=403)
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(error_body(404, "not_found", f"Nothing at {request.path}."), status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(error_body(500, "server_error", "Internal server error."), status=500)
    return render(request, "500.html", status=500)
