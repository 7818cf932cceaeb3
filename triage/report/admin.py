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

from analysis.presentation import pull_request_risk_panel, reasons_list
from gitinsight.admin.scoping import ReadOnlyAdmin, TenantScopedAdmin
from gitinsight.presentation import percent
from ingestion.admin import PullRequestAdmin
from ingestion.models import PullRequest
from triage.duplicates.models import CandidateEdge
from triage.presentation import duplicate_words
from triage.report.models import TriageQueueItem
from triage.report.selectors import pull_request_report


class PullRequestReportAdminMixin(admin.ModelAdmin):
    """Adds /admin/triage/triagequeueitem/<pk>/report/ and a link to it in the list."""

    def get_urls(self):
        return [
            path("<int:pk>/report/", self.admin_site.admin_view(self.report_view), name="triage_pull_request_report"),
            *super().get_urls(),
        ]

    def report_queryset(self, request: HttpRequest) -> QuerySet:
        return self.get_queryset(request)

    @admin.display(description="report")
    def report_link(self, pull_request) -> str:
        url = reverse("admin:triage_pull_request_report", args=[pull_request.pk])
        return format_html('<a href="{}">report</a>', url)

    def report_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        pull_request = get_object_or_404(self.report_queryset(request).select_related("repository"), pk=pk)
        report = pull_request_report(pull_request=pull_request)
        context = {
            **self.admin_site.each_context(request),
            "title": f"#{pull_request.number} {pull_request.title}",
            "report": report,
            "risk_reasons": reasons_list(report.risk["top_features"]) if report.risk else "",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/triage/report/pull_request.html", context)


class TriageQueueAdmin(PullRequestReportAdminMixin, TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ("number", "title", "repository", "analysis_status", "best_candidate", "best_category",
                    "best_score", "report_link")
    list_filter = ("analysis_status", "repository")
    search_fields = ("title", "number")

    def report_queryset(self, request: HttpRequest) -> QuerySet:
        # Every pull request has a report, closed and merged ones included (a candidate may be one).
        return TenantScopedAdmin.get_queryset(self, request)

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

    @admin.display(description="verdict", ordering="best_category")
    def best_category(self, pr) -> str:
        return duplicate_words(pr.best_category) if pr.best_category else "—"

    @admin.display(description="similarity", ordering="best_score")
    def best_score(self, pr) -> str:
        return percent(pr.best_score) if pr.best_score is not None else "—"


class PullRequestReportLinksAdmin(PullRequestAdmin):
    """Ingestion's pull request page with what triage and commit risk know about its head:
    the headline of its report and the link to it, and the risk panel."""

    fieldsets = [(None, {"fields": ["summary", "report", "risk", "repository", "milestone", "labels_list", "body"]}),
                 *PullRequestAdmin.fieldsets[1:]]
    readonly_fields = [*PullRequestAdmin.readonly_fields, "report", "risk"]

    @admin.display(description="triage report")
    def report(self, pull_request: PullRequest) -> str:
        url = reverse("admin:triage_pull_request_report", args=[pull_request.pk])
        return format_html('{} <a href="{}">The report</a>', pull_request_report(pull_request=pull_request).headline,
                           url)

    @admin.display(description="risk")
    def risk(self, pull_request: PullRequest) -> str:
        return pull_request_risk_panel(pull_request)


def report_admin_register(site: admin.AdminSite) -> None:
    """The triage queue and its report pages; pull request pages link to their report."""
    site.register(TriageQueueItem, TriageQueueAdmin)
    site.unregister(PullRequest)
    site.register(PullRequest, PullRequestReportLinksAdmin)
