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
from django.utils.translation import ngettext

from gitinsight.admin.scoping import ReadOnlyAdmin, TenantScopedAdmin, role_action
from gitinsight.presentation import percent, readable, sentence_case, when, words
from gitinsight.security.roles import Action, role_check
from gitinsight.services.audit import audit_record
from triage.failures.models.analyses import CheckFailureAnalysis, FixAttempt, PullRequestReview
from triage.failures.models.root_causes import RootCauseExample
from triage.failures.selectors import analyses as selectors
from triage.failures.services.actions import analyses_reanalyse, analyses_record_rerun
from triage.failures.services.root_causes import RootCauseLinesInvalid, root_cause_confirm, root_cause_example_delete
from triage.presentation import action_words, attribution_words, failure_category_words, fix_details, review_details


def render_excerpt(analysis: CheckFailureAnalysis) -> str:
    """`<pre>` of the excerpt, root-cause lines in `<mark>`, each line with its number."""
    excerpt = selectors.analysis_excerpt(analysis)
    if excerpt is None:
        return format_html("<em>{}</em>", "excerpt expired or unavailable")
    rows = format_html_join(
        "\n", "{}", ((format_html("<mark>{:>6}  {}</mark>", line.number, line.text) if line.highlighted
                      else format_html("{:>6}  {}", line.number, line.text),) for line in excerpt.lines))
    return format_html('<pre class="triage-excerpt">{}</pre>', rows)


#: what each kind of attribution evidence shows, as a lead-in to its detail
EVIDENCE_WORDS = {
    "unstable_issue": "An open issue says this job is unstable",
    "same_sha_passed": "The same commit passed on another attempt",
    "same_failure_on_base": "The base branch fails the same way",
    "same_failure_elsewhere": "Unrelated commits fail the same way",
    "no_other_explanation": "Nothing else explains it",
}


def render_evidence(analysis: CheckFailureAnalysis) -> str:
    items = []
    for item in analysis.attribution_evidence:
        url = item.get("url", "")
        kind = item.get("kind", "")
        label = f"{EVIDENCE_WORDS.get(kind, sentence_case(words(kind)))}: {item.get('detail', '')}"
        items.append(format_html('<li><a href="{}" rel="noopener">{}</a></li>', url, label) if url.startswith("http")
                     else format_html("<li>{}</li>", label))
    return format_html("<ul>{}</ul>", format_html_join("", "{}", ((i,) for i in items)))


class FixAttemptInline(admin.TabularInline):
    model = FixAttempt
    extra = 0
    can_delete = False
    fields = ("strategy", "status", "retry_count", "success", "what_was_done", "error", "completed_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="details")
    def what_was_done(self, attempt: FixAttempt) -> str:
        return readable(fix_details(attempt.details))


class RootCauseForm(forms.Form):
    start = forms.IntegerField(min_value=1, label="first line")
    end = forms.IntegerField(min_value=1, label="last line")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise forms.ValidationError("The last line comes before the first.")
        return cleaned


class CheckFailureAnalysisAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ("check_run", "repository", "pull_request", "failed_on", "whose", "next_step", "status",
                    "analysed")
    list_filter = ("attribution", "category", "status", ("check_run__repository", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("check_run", "check_run__repository", "pull_request")
    search_fields = ("check_run__name", "head_sha", "fingerprint")
    fieldsets = [
        (None, {"fields": ["summary", "cause", "who", "evidence", "next_step", "suggested_fix", "check_run",
                           "pull_request", "highlighted_excerpt", "confirmed_root_causes"]}),
        ("Details", {"fields": ["head_commit", "fingerprint", "fingerprint_certainty", "analysed", "rules_version",
                                "error"], "classes": ["collapse"]}),
    ]
    readonly_fields = ("summary", "cause", "who", "evidence", "next_step", "suggested_fix", "check_run",
                       "pull_request", "highlighted_excerpt", "confirmed_root_causes", "head_commit", "fingerprint",
                       "fingerprint_certainty", "analysed", "rules_version", "error")
    inlines = [FixAttemptInline]
    actions = ["reanalyse", "record_rerun"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The queue shows the latest analysis of each check run (an older rules version is history).
        latest = CheckFailureAnalysis.objects.latest_per_check_run().values("pk")
        return super().get_queryset(request).filter(pk__in=latest).order_by("-created_at")

    @admin.display(description="repository")
    def repository(self, analysis: CheckFailureAnalysis) -> str:
        return analysis.check_run.repository.full_name

    @admin.display(description="in a sentence")
    def summary(self, analysis: CheckFailureAnalysis) -> str:
        pull_request = analysis.pull_request
        where = f" on #{pull_request.number}" if pull_request else ""
        return (f"{analysis.check_run.name} failed{where} on {failure_category_words(analysis.category)}: "
                f"{attribution_words(analysis.attribution)}; next, {action_words(analysis.recommended_action)}.")

    @admin.display(description="failed on", ordering="category")
    def failed_on(self, analysis: CheckFailureAnalysis) -> str:
        return failure_category_words(analysis.category)

    @admin.display(description="whose doing", ordering="attribution")
    def whose(self, analysis: CheckFailureAnalysis) -> str:
        return attribution_words(analysis.attribution)

    @admin.display(description="what failed")
    def cause(self, analysis: CheckFailureAnalysis) -> str:
        return (f"{sentence_case(failure_category_words(analysis.category))} "
                f"({percent(analysis.category_confidence)} sure)")

    @admin.display(description="whose doing")
    def who(self, analysis: CheckFailureAnalysis) -> str:
        return (f"{sentence_case(attribution_words(analysis.attribution))} "
                f"({percent(analysis.attribution_confidence)} sure)")

    @admin.display(description="next step")
    def next_step(self, analysis: CheckFailureAnalysis) -> str:
        return sentence_case(action_words(analysis.recommended_action))

    @admin.display(description="head commit")
    def head_commit(self, analysis: CheckFailureAnalysis) -> str:
        return analysis.head_sha[:12]

    @admin.display(description="how sure the fingerprint is")
    def fingerprint_certainty(self, analysis: CheckFailureAnalysis) -> str:
        return percent(analysis.fingerprint_confidence)

    @admin.display(description="analysed")
    def analysed(self, analysis: CheckFailureAnalysis) -> str:
        return when(analysis.analysed_at)

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
        self.message_user(request, ngettext("Recorded %(count)d re-run.", "Recorded %(count)d re-runs.", len(attempts))
                          % {"count": len(attempts)}, messages.SUCCESS)


class PullRequestReviewAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    """The risk / duplicate / ci verdicts of each pull request head, with maintainers' feedback."""

    list_display = ("pull_request", "reviewer_type", "verdict", "summary", "feedback", "updated_at")
    list_filter = ("reviewer_type", "feedback")
    list_select_related = ("pull_request",)
    fields = ("pull_request", "head_sha", "reviewer_type", "verdict", "summary", "what_it_found", "feedback",
              "updated_at")
    readonly_fields = fields

    @admin.display(description="details")
    def what_it_found(self, review: PullRequestReview) -> str:
        return review_details(review.details)

    @admin.display(description="verdict", ordering="decision")
    def verdict(self, review: PullRequestReview) -> str:
        return {"approve": "approve", "comment": "comment", "request_changes": "request changes"}.get(
            review.decision, "no verdict")


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
