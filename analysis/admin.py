from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from analysis.core.charts import trend_chart
from analysis.core.handover import ALGORITHM_NAMES
from analysis.core.reasons import standing_sentence
from analysis.models import (
    BugInducingLink,
    CommitRiskPrediction,
    Insight,
    ModelVersion,
    PullRequestRiskPrediction,
    RepositoryStats,
    TrainingExample,
)
from analysis.selectors.risk import model_version_monitoring, risk_over_time
from analysis.services.models import model_promote
from gitinsight.admin.scoping import ReadOnlyAdmin, TenantScopedAdmin, role_action
from gitinsight.security.roles import Action


def _evidence(top_features: list[dict], percentile: float | None = None) -> str:
    """The standing among the repository's commits, then each factor's sentence with the log-odds
    it added (older predictions, stored without sentences, show the feature and its value)."""
    factors = format_html_join(
        "; ", "{} ({})",
        ((f.get("reason") or f"{f['feature']} = {f['value']:g}", f"{f['contribution']:+.2f}")
         for f in top_features or []),
    )
    if percentile is None:
        return factors
    return format_html("{}: {}", standing_sentence(percentile).capitalize(), factors)


@admin.register(CommitRiskPrediction)
class CommitRiskPredictionAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ["commit", "repository", "probability", "risk_level", "model_version", "evidence", "created_at"]
    list_filter = ["risk_level", "commit__repository", "model_version"]
    search_fields = ["commit__sha", "commit__message"]
    ordering = ["-probability"]
    list_select_related = ["commit__repository", "model_version"]

    @admin.display(description="repository")
    def repository(self, obj: CommitRiskPrediction) -> str:
        return obj.commit.repository.full_name

    @admin.display(description="why")
    def evidence(self, obj: CommitRiskPrediction) -> str:
        return _evidence(obj.top_features, obj.percentile)


@admin.register(PullRequestRiskPrediction)
class PullRequestRiskPredictionAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = [
        "pull_request", "head_sha", "probability", "risk_level", "commit_count", "model_version", "evidence",
    ]
    list_filter = ["risk_level", "pull_request__repository", "model_version"]
    search_fields = ["head_sha", "pull_request__title"]
    ordering = ["-probability"]

    @admin.display(description="why")
    def evidence(self, obj: PullRequestRiskPrediction) -> str:
        return _evidence(obj.top_features, obj.percentile)


@admin.register(ModelVersion)
class ModelVersionAdmin(TenantScopedAdmin):
    change_action = Action.MODELS
    list_display = ["repository", "version", "kind", "is_active", "auc", "recall_at_20_effort", "n_train", "n_holdout",
                    "created_at"]
    list_filter = ["repository", "is_active"]
    exclude = ["model_bytes"]
    readonly_fields = [f.name for f in ModelVersion._meta.fields if f.name != "model_bytes"] + [
        "monitoring", "risk_chart"]
    actions = ["promote"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="model")
    def kind(self, obj: ModelVersion) -> str:
        return ALGORITHM_NAMES.get(obj.algorithm, obj.algorithm).capitalize()

    @admin.display(description="holdout AUC")
    def auc(self, obj: ModelVersion) -> str:
        value = obj.metrics.get("auc")
        return f"{value:.3f}" if isinstance(value, float) else "-"

    @admin.display(description="recall@20% effort")
    def recall_at_20_effort(self, obj: ModelVersion) -> str:
        value = obj.metrics.get("recall_at_20_effort")
        return f"{value:.3f}" if isinstance(value, float) else "-"

    @admin.display(description="in use")
    def monitoring(self, obj: ModelVersion) -> str:
        stats = model_version_monitoring(obj)
        precision = stats["realised_precision"]
        return format_html(
            "{} predictions; score histogram (0-1 in tenths): {}; realised precision of high risk: {} ({} matured)",
            stats["predictions"], stats["score_histogram"],
            "-" if precision is None else f"{precision:.2f}", stats["high_risk_matured"],
        )

    @admin.display(description="mean risk per month")
    def risk_chart(self, obj: ModelVersion) -> str:
        rows = risk_over_time(repository_id=obj.repository_id, model_version=obj)
        # A bar per month, drawn with plain HTML so the admin needs no chart library.
        return format_html_join(
            "", '<div style="font-family:monospace">{} <span style="display:inline-block;background:#c0392b;'
                'width:{}px;height:0.8em"></span> {} ({} commits)</div>',
            ((month, int(mean * 300), f"{mean:.2f}", count) for month, mean, count in rows),
        ) or "-"

    @role_action(Action.MODELS, description="Promote to the active model of its repository")
    def promote(self, request: HttpRequest, queryset: QuerySet[ModelVersion]) -> None:
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one model version to promote.", level=messages.ERROR)
            return
        promoted = model_promote(model_version=queryset.get(), by=request.user, reason="promoted in the admin")
        self.message_user(request, f"{promoted.repository} version {promoted.version} is now active.")


@admin.register(TrainingExample)
class TrainingExampleAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ["commit", "feature_version", "is_fix", "label", "label_source", "created_at"]
    list_filter = ["label", "label_source", "is_fix", "feature_version", "commit__repository"]
    search_fields = ["commit__sha"]
    list_select_related = ["commit"]


@admin.register(BugInducingLink)
class BugInducingLinkAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ["fix_commit", "inducing_commit", "path", "szz_version", "created_at"]
    list_filter = ["repository", "szz_version"]
    search_fields = ["fix_commit__sha", "inducing_commit__sha", "path"]


def evidence_table(items: list[dict]) -> str:
    if not items:
        return "—"
    columns = list(items[0])
    head = format_html_join("", "<th>{}</th>", ((column,) for column in columns))
    rows = format_html_join(
        "", "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((item.get(column),) for column in columns)),) for item in items[:50]),
    )
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, rows)


@admin.register(Insight)
class InsightAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ["title", "repository", "type", "confidence_score", "model_version", "generated_at"]
    list_filter = ["type", "repository"]
    search_fields = ["title", "description"]
    fields = ["repository", "type", "title", "description", "confidence_score", "tags", "model_version",
              "generated_at", "chart", "evidence"]
    readonly_fields = fields

    @admin.display(description="chart")
    def chart(self, insight: Insight) -> str:
        return mark_safe(trend_chart(insight))  # noqa: S308 - SVG built from escaped values

    @admin.display(description="evidence")
    def evidence(self, insight: Insight) -> str:
        return evidence_table(insight.data.get("items") or [])


@admin.register(RepositoryStats)
class RepositoryStatsAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ["full_name", "language", "stars", "forks", "total_insights", "avg_confidence", "follower_count",
                    "recent_insight_count", "trending_score", "latest_insight"]
    list_filter = ["language"]
    search_fields = ["full_name"]
