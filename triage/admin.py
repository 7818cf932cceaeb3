"""The maintainer's triage workspace: queue of open PRs with their best candidate, runs with
scored edges and evidence, clusters, feedback actions and config snapshots."""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from gitinsight.admin_scoping import ReadOnlyAdmin, TenantScopedAdmin
from ingestion.models import PullRequest
from triage.models import (
    AnalysisRun,
    CandidateEdge,
    Cluster,
    ClusterMember,
    CompetingWork,
    ConfigSnapshot,
    ContainmentEdge,
    Feedback,
    GitHubNotice,
    TriageQueueItem,
)
from triage.report.admin import PullRequestReportAdminMixin
from triage.report.competing_text import competing_sentence
from triage.services.feedback import feedback_confirm, feedback_reject

SCOPE = "repository__organization"


def render_evidence(evidence: dict) -> str:
    """Overlaps as a short definition list; the numbers as one line."""
    rows = [(key.replace("_", " "), ", ".join(map(str, value))) for key, value in evidence.items()
            if key != "values" and value]
    values = ", ".join(f"{k}={v:.2f}" for k, v in evidence.get("values", {}).items() if isinstance(v, float) and v)
    return format_html("<dl>{}</dl><small>{}</small>",
                       format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows), values)


class CandidateEdgeInline(admin.TabularInline):
    model = CandidateEdge
    fk_name = "analysis_run"
    extra = 0
    can_delete = False
    fields = ("rank", "pull_request_b", "category", "final_score", "evidence")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="evidence")
    def evidence(self, edge: CandidateEdge) -> str:
        return render_evidence(edge.evidence_json)


@admin.register(TriageQueueItem)
class TriageQueueAdmin(PullRequestReportAdminMixin, TenantScopedAdmin, ReadOnlyAdmin):
    organization_path = SCOPE
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


@admin.register(AnalysisRun)
class AnalysisRunAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    organization_path = SCOPE
    list_display = ("pull_request", "head_sha", "status", "started_at", "finished_at", "config_version")
    list_filter = ("status",)
    inlines = [CandidateEdgeInline]


@admin.register(CandidateEdge)
class CandidateEdgeAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    organization_path = SCOPE
    list_display = ("pull_request_a", "pull_request_b", "rank", "category", "final_score", "created_at")
    list_filter = ("category",)
    readonly_fields = ("rendered_evidence", "scores")
    actions = ["confirm_verdict", "reject_verdict"]

    @admin.display(description="evidence")
    def rendered_evidence(self, edge: CandidateEdge) -> str:
        return render_evidence(edge.evidence_json)

    @admin.display(description="scores")
    def scores(self, edge: CandidateEdge) -> str:
        return format_html("<pre>{}</pre>", json.dumps(edge.scores_json, indent=2))

    @admin.action(description="Confirm the verdict (maintainer feedback)")
    def confirm_verdict(self, request: HttpRequest, queryset: QuerySet) -> None:
        for edge in queryset:
            feedback_confirm(user=request.user, edge=edge)
        self.message_user(request, f"Confirmed {queryset.count()} verdict(s).", messages.SUCCESS)

    @admin.action(description="Reject the verdict (not related)")
    def reject_verdict(self, request: HttpRequest, queryset: QuerySet) -> None:
        for edge in queryset:
            feedback_reject(user=request.user, edge=edge)
        self.message_user(request, f"Rejected {queryset.count()} verdict(s).", messages.SUCCESS)


class ClusterMemberInline(admin.TabularInline):
    model = ClusterMember
    extra = 0
    can_delete = False
    fields = ("pull_request", "head_sha", "role")
    readonly_fields = fields


class ContainmentEdgeInline(admin.TabularInline):
    model = ContainmentEdge
    extra = 0
    can_delete = False
    fields = ("from_pull_request", "to_pull_request", "basis", "containment")
    readonly_fields = fields


@admin.register(Cluster)
class ClusterAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    organization_path = SCOPE
    list_display = ("__str__", "repository", "state", "suggested_base", "updated_at")
    inlines = [ClusterMemberInline, ContainmentEdgeInline]

    @admin.display(description="suggested base")
    def suggested_base(self, cluster: Cluster) -> str:
        base = cluster.members.filter(role=ClusterMember.Role.BASE_SUGGESTED).select_related("pull_request").first()
        return str(base.pull_request) if base else "—"


@admin.register(Feedback)
class FeedbackAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    organization_path = SCOPE
    list_display = ("pull_request", "candidate_pull_request", "decision", "actor_login", "created_at")
    list_filter = ("decision",)


@admin.register(ConfigSnapshot)
class ConfigSnapshotAdmin(TenantScopedAdmin):
    organization_path = SCOPE
    list_display = ("config_version", "repository", "is_active", "created_at")
    list_filter = ("is_active",)

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # A snapshot without a repository is the global one every organization falls back to:
        # only operators write it.
        if not request.user.is_superuser and "repository" in form.base_fields:
            form.base_fields["repository"].required = True
        return form


@admin.register(GitHubNotice)
class GitHubNoticeAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    organization_path = SCOPE
    list_display = ("pull_request", "candidate_pull_request", "github_comment_id", "updated_at")


# The failed-checks queue registers its own models.
import triage.failures.admin  # noqa: E402, F401


@admin.register(CompetingWork)
class CompetingWorkAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    """Pull requests and commits competing for the same issue, in words, with their evidence."""

    organization_path = SCOPE
    list_display = ("pull_request", "kind", "what_it_means", "confidence", "updated_at")
    list_filter = ("kind",)
    readonly_fields = ("what_it_means", "rendered_evidence")

    @admin.display(description="what it means")
    def what_it_means(self, work: CompetingWork) -> str:
        return competing_sentence(work)

    @admin.display(description="evidence")
    def rendered_evidence(self, work: CompetingWork) -> str:
        rows = [(key.replace("_", " "), ", ".join(map(str, value)) if isinstance(value, list) else str(value))
                for key, value in work.evidence_json.items()]
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))
