"""The pull request report page, added to the triage queue's admin."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from triage.report.selectors import pull_request_report


class PullRequestReportAdminMixin(admin.ModelAdmin):
    """Adds /admin/triage/triagequeueitem/<pk>/report/ and a link to it in the list."""

    def get_urls(self):
        return [
            path("<int:pk>/report/", self.admin_site.admin_view(self.report_view), name="triage_pull_request_report"),
            *super().get_urls(),
        ]

    @admin.display(description="report")
    def report_link(self, pull_request) -> str:
        url = reverse("admin:triage_pull_request_report", args=[pull_request.pk])
        return format_html('<a href="{}">report</a>', url)

    def report_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        pull_request = get_object_or_404(self.get_queryset(request).select_related("repository"), pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"#{pull_request.number} {pull_request.title}",
            "report": pull_request_report(pull_request=pull_request),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/triage/report/pull_request.html", context)
