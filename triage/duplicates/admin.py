"""Admin pages of duplicate detection: runs with scored edges and evidence, clusters, feedback
actions, config snapshots and competing work."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from gitinsight.admin.scoping import ReadOnlyAdmin, TenantScopedAdmin, role_action
from gitinsight.presentation import code_list, definitions, number, percent, sentence_case, words
from gitinsight.security.roles import Action
from triage.duplicates.competing_text import competing_sentence
from triage.duplicates.models import (
    AnalysisRun,
    CandidateEdge,
    Cluster,
    ClusterMember,
    CompetingWork,
    ConfigSnapshot,
    ContainmentEdge,
    Feedback,
)
from triage.duplicates.services.config import config_snapshot_add
from triage.duplicates.services.feedback import feedback_confirm, feedback_reject
from triage.presentation import signal_words


def render_evidence(evidence: dict) -> str:
    """Overlaps as a short definition list of the names in common (code, as written); the
    signals' values as a table in words."""
    rows = [(sentence_case(words(key)), code_list(value)) for key, value in evidence.items()
            if key != "values" and value]
    values = {signal_words(key): number(value) for key, value in evidence.get("values", {}).items()
              if isinstance(value, float) and value}
    return format_html("<dl>{}</dl>{}", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows),
                       definitions(values) if values else "")


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


class AnalysisRunAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ("pull_request", "head_sha", "status", "started_at", "finished_at", "config_version")
    list_filter = ("status",)
    inlines = [CandidateEdgeInline]


class CandidateEdgeAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ("pull_request_a", "pull_request_b", "rank", "category", "final_score", "created_at")
    list_filter = ("category",)
    # the stored evidence and scores are shown through their readable versions only
    fields = ("analysis_run", "repository", "pull_request_a", "head_sha_a", "pull_request_b", "head_sha_b", "rank",
              "category", "final_score", "rendered_evidence", "scores", "created_at")
    readonly_fields = ("rendered_evidence", "scores")
    actions = ["confirm_verdict", "reject_verdict"]

    @admin.display(description="evidence")
    def rendered_evidence(self, edge: CandidateEdge) -> str:
        return render_evidence(edge.evidence_json)

    @admin.display(description="signals")
    def scores(self, edge: CandidateEdge) -> str:
        return definitions({key: percent(value) if isinstance(value, float) and 0 <= value <= 1 else value
                            for key, value in edge.scores_json.items()})

    @role_action(Action.FEEDBACK, description="Confirm the verdict (maintainer feedback)")
    def confirm_verdict(self, request: HttpRequest, queryset: QuerySet) -> None:
        for edge in queryset:
            feedback_confirm(user=request.user, edge=edge)
        count = queryset.count()
        self.message_user(request, ngettext("Confirmed %(count)d verdict.", "Confirmed %(count)d verdicts.", count)
                          % {"count": count}, messages.SUCCESS)

    @role_action(Action.FEEDBACK, description="Reject the verdict (not related)")
    def reject_verdict(self, request: HttpRequest, queryset: QuerySet) -> None:
        for edge in queryset:
            feedback_reject(user=request.user, edge=edge)
        count = queryset.count()
        self.message_user(request, ngettext("Rejected %(count)d verdict.", "Rejected %(count)d verdicts.", count)
                          % {"count": count}, messages.SUCCESS)


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


class ClusterAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ("__str__", "repository", "state", "suggested_base", "updated_at")
    inlines = [ClusterMemberInline, ContainmentEdgeInline]

    @admin.display(description="suggested base")
    def suggested_base(self, cluster: Cluster) -> str:
        base = cluster.members.filter(role=ClusterMember.Role.BASE_SUGGESTED).select_related("pull_request").first()
        return str(base.pull_request) if base else "—"


class FeedbackAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ("pull_request", "candidate_pull_request", "decision", "actor_login", "created_at")
    list_filter = ("decision",)


class ConfigSnapshotAdmin(TenantScopedAdmin):
    change_action = Action.CONFIGURE
    list_display = ("config_version", "repository", "is_active", "created_at")
    list_filter = ("is_active",)
    readonly_fields = ("config_version",)  # given out by config_snapshot_add

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # A snapshot stays with the repository whose runs used it.
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "repository"] if obj is not None else readonly

    def save_model(self, request: HttpRequest, obj: ConfigSnapshot, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
        else:
            config_snapshot_add(snapshot=obj)

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # A snapshot without a repository is the global one every organization falls back to:
        # only operators write it.
        if not request.user.is_superuser and "repository" in form.base_fields:
            form.base_fields["repository"].required = True
        return form


class CompetingWorkAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    """Pull requests and commits competing for the same issue, in words, with their evidence."""

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


def duplicates_admin_register(site: admin.AdminSite) -> None:
    """The admin pages of duplicate detection."""
    site.register(AnalysisRun, AnalysisRunAdmin)
    site.register(CandidateEdge, CandidateEdgeAdmin)
    site.register(Cluster, ClusterAdmin)
    site.register(Feedback, FeedbackAdmin)
    site.register(ConfigSnapshot, ConfigSnapshotAdmin)
    site.register(CompetingWork, CompetingWorkAdmin)
