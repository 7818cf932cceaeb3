"""The failed-checks queue: latest analysis per check run, newest first, with the excerpt
and its root-cause lines highlighted. Log text is escaped: logs are attacker-controlled."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from gitinsight.admin_scoping import ReadOnlyAdmin, TenantScopedAdmin
from gitinsight.services.audit import audit_record
from triage.failures import selectors
from triage.failures.actions import analyses_reanalyse, analyses_record_rerun
from triage.models.checks import CheckFailureAnalysis, FixAttempt, PullRequestReview


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


@admin.register(CheckFailureAnalysis)
class CheckFailureAnalysisAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    organization_path = selectors.SCOPE
    list_display = ("check_run", "repository", "pull_request", "category", "attribution", "recommended_action",
                    "status", "analysed_at")
    list_filter = ("attribution", "category", "status", ("check_run__repository", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("check_run", "check_run__repository", "pull_request")
    search_fields = ("check_run__name", "head_sha", "fingerprint")
    readonly_fields = ("check_run", "pull_request", "head_sha", "category", "category_confidence", "attribution",
                       "attribution_confidence", "evidence", "recommended_action", "suggested_fix",
                       "rules_version", "highlighted_excerpt", "error")
    exclude = ("excerpt", "full_log", "root_cause", "attribution_evidence", "workflow_job")
    inlines = [FixAttemptInline]
    actions = ["reanalyse", "record_rerun"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The queue shows the latest analysis of each check run (an older rules version is history).
        latest = (CheckFailureAnalysis.objects.filter(check_run=OuterRef("check_run"))
                  .order_by("-created_at", "-pk").values("pk")[:1])
        return super().get_queryset(request).filter(pk=Subquery(latest)).order_by("-created_at")

    @admin.display(description="repository")
    def repository(self, analysis: CheckFailureAnalysis) -> str:
        return analysis.check_run.repository.full_name

    @admin.display(description="evidence")
    def evidence(self, analysis: CheckFailureAnalysis) -> str:
        return render_evidence(analysis)

    @admin.display(description="excerpt")
    def highlighted_excerpt(self, analysis: CheckFailureAnalysis) -> str:
        return render_excerpt(analysis)

    @admin.action(description="Re-analyse (fetch the log again)")
    def reanalyse(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = analyses_reanalyse(list(queryset.values_list("check_run_id", flat=True)))
        audit_record(user=request.user, action="triage.check_reanalyse", resource_type="check_failure_analysis",
                     resource_id=",".join(str(pk) for pk in queryset.values_list("pk", flat=True)),
                     details={"count": count})
        self.message_user(request, f"Queued {count} re-analysis(es).", messages.SUCCESS)

    @admin.action(description="Record a manual re-run of the failed jobs")
    def record_rerun(self, request: HttpRequest, queryset: QuerySet) -> None:
        attempts = analyses_record_rerun(list(queryset), by=request.user.get_username())
        audit_record(user=request.user, action="triage.check_record_rerun", resource_type="check_failure_analysis",
                     resource_id=",".join(str(a.analysis_id) for a in attempts), details={"count": len(attempts)})
        self.message_user(request, f"Recorded {len(attempts)} re-run(s).", messages.SUCCESS)


@admin.register(PullRequestReview)
class PullRequestReviewAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    """The risk / duplicate / ci verdicts of each pull request head, with maintainers' feedback."""

    organization_path = "pull_request__repository__organization"
    list_display = ("pull_request", "reviewer_type", "decision", "summary", "feedback", "updated_at")
    list_filter = ("reviewer_type", "decision", "feedback")
    list_select_related = ("pull_request",)
