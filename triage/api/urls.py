"""Mounted by the project under /api/v1/triage/: the routes of both halves and of the report."""

from django.urls import include, path

urlpatterns = [
    path("", include("triage.duplicates.api.urls")),
    path("", include("triage.report.api.urls")),
    path("", include("triage.failures.api.urls")),
]
