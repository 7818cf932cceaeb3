"""The operations page in the admin; admin.site.admin_view (in urls.py) lets staff in and
sends everyone else to the login page."""

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse

from gitinsight.operations.panels import operations_panels_for


def operations_view(request: HttpRequest) -> TemplateResponse:
    context = {
        **admin.site.each_context(request),
        "title": "Operations",
        "panels": operations_panels_for(request.user),
        "platform_hidden": not request.user.is_superuser,
    }
    return TemplateResponse(request, "admin/operations.html", context)
