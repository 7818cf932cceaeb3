"""The failed-checks queue: latest analysis per check run, newest first, with the excerpt
and its root-cause lines highlighted. Log text is escaped: logs are attacker-controlled."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from gitinsight.admin.scoping import ReadOnlyAdmin, TenantScopedAdmin, role_action
from gitinsight.security.roles import Action, role_check
from gitinsight.services.audit import audit_record
from triage.failures.models.analyses import CheckFailureAnalysis, FixAttempt, PullRequestReview
from triage.failures.models.root_causes import RootCauseExample
from triage.failures.selectors import analyses as selectors
from triage.failures.services.actions import analyses_reanalyse, analyses_record_rerun
from triage.failures.services.root_causes import RootCauseLinesInvalid, root_cause_confirm, root_cause_example_delete


def render_excerpt(analysis: CheckFailureAnalysis) -> str:
    """`<pre>` of the excerpt, root-cause lines in `<mark>`, each line with its number."""
    excerpt = selectors.analysis_excerpt(analysis)
    if excerpt is None:
        return format_html("<em>{}</em>", "excerpt expired or unavailable")
    rows = format_html_join(
        "\n", "{}", ((format_html("<mark>{:>6}  {}</mark>", line.number, line.text) if line.highlighted
                      else format_html("{:>6}  {}", line.number, line.text),) for line in excerpt.lines))
    return format_html('<pre class="triage-excerpt">{}</pre>', rows)


def render_evidence(analysis: CheckFailureAnalysis) -> str:
    items = []
    for item in analysis.attribution_evidence:
        url = item.get("url", "")
        label = f"{item.get('kind', '')}: {item.get('detail', '')}"
        items.append(format_html('<li><a href="{}" rel="noopener">{}</a></li>', url, label) if url.startswith("http")
                     else format_html("<li>{}</li>", label))
    return format_html("<ul>{}</ul>", format_html_join("", "{}", ((i,) for i in items)))


class FixAttemptInline(admin.TabularInline):
    model = FixAttempt
    extra = 0
    can_delete = False
    fields = ("strategy", "status", "retry_count", "success", "details", "error", "completed_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class RootCauseForm(forms.Form):
    start = forms.IntegerField(min_value=1, label="first line")
    end = forms.IntegerField(min_value=1, label="last line")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise forms.ValidationError("The last line comes before the first.")
        return cleaned


class CheckFailureAnalysisAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ("check_run", "repository", "pull_request", "category", "attribution", "recommended_action",
                    "status", "analysed_at")
    list_filter = ("attribution", "category", "status", ("check_run__repository", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("check_run", "check_run__repository", "pull_request")
    search_fields = ("check_run__name", "head_sha", "fingerprint")
    readonly_fields = ("check_run", "pull_request", "head_sha", "category", "category_confidence", "attribution",
                       "attribution_confidence", "evidence", "recommended_action", "suggested_fix",
                       "rules_version", "highlighted_excerpt", "confirmed_root_causes", "error")
    exclude = ("excerpt", "full_log", "root_cause", "attribution_evidence", "workflow_job")
    inlines = [FixAttemptInline]
    actions = ["reanalyse", "record_rerun"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The queue shows the latest analysis of each check run (an older rules version is history).
        latest = CheckFailureAnalysis.objects.latest_per_check_run().values("pk")
        return super().get_queryset(request).filter(pk__in=latest).order_by("-created_at")

    @admin.display(description="repository")
    def repository(self, analysis: CheckFailureAnalysis) -> str:
        return analysis.check_run.repository.full_name

    @admin.display(description="evidence")
    def evidence(self, analysis: CheckFailureAnalysis) -> str:
        return render_evidence(analysis)

    @admin.display(description="excerpt")
    def highlighted_excerpt(self, analysis: CheckFailureAnalysis) -> str:
        return render_excerpt(analysis)

    @admin.display(description="confirmed root cause")
    def confirmed_root_causes(self, analysis: CheckFailureAnalysis) -> str:
        confirmed = format_html_join("", "<li>lines {}-{} by {} on {}</li>", (
            (row.start_line, row.end_line, row.created_by or "someone", f"{row.created_at:%Y-%m-%d}")
            for row in analysis.confirmed_causes.select_related("created_by")))
        url = reverse("admin:triage_checkfailureanalysis_root_cause", args=[analysis.pk])
        return format_html('<ul>{}</ul><a href="{}">Confirm or correct the root-cause lines</a>', confirmed, url)

    def get_urls(self):
        return [
            path("<int:pk>/root-cause/", self.admin_site.admin_view(self.root_cause_view),
                 name="triage_checkfailureanalysis_root_cause"),
            *super().get_urls(),
        ]

    def root_cause_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The excerpt and a form for the lines that really explain the failure."""
        analysis = get_object_or_404(self.get_queryset(request).select_related("check_run"), pk=pk)
        if not self.has_view_permission(request, analysis) or (
            request.method == "POST" and not request.user.has_perm("triage.add_rootcauseexample")
        ):
            raise PermissionDenied
        if request.method == "POST":
            role_check(request.user, Action.FEEDBACK, analysis)
        top = analysis.root_cause[0] if analysis.root_cause else {}
        form = RootCauseForm(request.POST or None, initial={"start": top.get("start"), "end": top.get("end")})
        if request.method == "POST" and form.is_valid():
            try:
                example = root_cause_confirm(user=request.user, analysis=analysis, **form.cleaned_data)
            except RootCauseLinesInvalid as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, f"Lines {example.start_line}-{example.end_line} confirmed: later logs of "
                                           f"{analysis.check_run.repository} are compared with them.", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:triage_checkfailureanalysis_change", args=[analysis.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Root cause of {analysis.check_run.name}",
            "analysis": analysis, "form": form, "excerpt": render_excerpt(analysis), "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/triage/failures/root_cause.html", context)

    @role_action(Action.RUN_JOBS, description="Re-analyse (fetch the log again)")
    def reanalyse(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = analyses_reanalyse(list(queryset.values_list("check_run_id", flat=True)))
        audit_record(user=request.user, action="triage.check_reanalyse", resource_type="check_failure_analysis",
                     resource_id=",".join(str(pk) for pk in queryset.values_list("pk", flat=True)),
                     details={"count": count})
        self.message_user(request, f"Queued {count} re-analysis(es).", messages.SUCCESS)

    @role_action(Action.FEEDBACK, description="Record a manual re-run of the failed jobs")
    def record_rerun(self, request: HttpRequest, queryset: QuerySet) -> None:
        attempts = analyses_record_rerun(list(queryset), by=request.user.get_username())
        audit_record(user=request.user, action="triage.check_record_rerun", resource_type="check_failure_analysis",
                     resource_id=",".join(str(a.analysis_id) for a in attempts), details={"count": len(attempts)})
        self.message_user(request, f"Recorded {len(attempts)} re-run(s).", messages.SUCCESS)


class PullRequestReviewAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    """The risk / duplicate / ci verdicts of each pull request head, with maintainers' feedback."""

    list_display = ("pull_request", "reviewer_type", "decision", "summary", "feedback", "updated_at")
    list_filter = ("reviewer_type", "decision", "feedback")
    list_select_related = ("pull_request",)


class RootCauseExampleAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    """Root causes maintainers confirmed; later logs of the repository are compared with them.
    Deleting one (audited) stops the comparison."""

    delete_action = Action.DELETE_EXAMPLES
    list_display = ("__str__", "repository", "check_name", "corrected", "created_by", "created_at")
    list_filter = ("corrected", ("repository", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("repository", "created_by")
    search_fields = ("check_name", "text")
    fields = ("repository", "check_name", "analysis", "start_line", "end_line", "lines", "corrected", "created_by",
              "created_at")
    readonly_fields = fields

    @admin.display(description="lines")
    def lines(self, example: RootCauseExample) -> str:
        return format_html('<pre class="triage-excerpt">{}</pre>', example.text)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Rows are read-only, but admins may delete one (ReadOnlyAdmin would refuse everyone).
        return admin.ModelAdmin.has_delete_permission(self, request, obj) and self.role_allows(
            request, self.delete_action, obj)

    def delete_model(self, request: HttpRequest, obj: RootCauseExample) -> None:
        root_cause_example_delete(user=request.user, example=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for example in queryset:
            root_cause_example_delete(user=request.user, example=example)


def failures_admin_register(site: admin.AdminSite) -> None:
    """The admin pages of failed-check analysis."""
    site.register(CheckFailureAnalysis, CheckFailureAnalysisAdmin)
    site.register(PullRequestReview, PullRequestReviewAdmin)
    site.register(RootCauseExample, RootCauseExampleAdmin)
