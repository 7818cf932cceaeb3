"""The triage queue (open pull requests with their best duplicate candidate) and its pull
request report page, which joins duplicates, failed checks and commit risk."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from gitinsight.admin.scoping import ReadOnlyAdmin, TenantScopedAdmin
from ingestion.models import PullRequest
from triage.duplicates.models import CandidateEdge
from triage.report.models import TriageQueueItem
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


class TriageQueueAdmin(PullRequestReportAdminMixin, TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ("number", "title", "repository", "analysis_status", "best_candidate", "best_category",
                    "best_score", "report_link")
    list_filter = ("analysis_status", "repository")
    search_fields = ("title", "number")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        best = CandidateEdge.objects.filter(
            analysis_run__pull_request=OuterRef("pk"), analysis_run__head_sha=OuterRef("head_sha"), rank=1
        ).order_by("-analysis_run__started_at")
        return super().get_queryset(request).filter(state=PullRequest.State.OPEN).annotate(
            best_number=Subquery(best.values("pull_request_b__number")[:1]),
            best_category=Subquery(best.values("category")[:1]),
            best_score=Subquery(best.values("final_score")[:1]),
        )

    @admin.display(description="best candidate")
    def best_candidate(self, pr) -> str:
        return f"#{pr.best_number}" if pr.best_number else "—"

    @admin.display(description="category", ordering="best_category")
    def best_category(self, pr) -> str:
        return pr.best_category or "—"

    @admin.display(description="score", ordering="best_score")
    def best_score(self, pr) -> str:
        return f"{pr.best_score:.2f}" if pr.best_score is not None else "—"


def report_admin_register(site: admin.AdminSite) -> None:
    """The triage queue and its report pages."""
    site.register(TriageQueueItem, TriageQueueAdmin)
