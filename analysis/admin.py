"""Commit risk and insights in the admin: predictions as sentences with their reasons, model
versions with their holdout figures explained and charts, insights of the latest computation
(older generations stay one filter away)."""

from django.contrib import admin, messages
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

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
from analysis.presentation import (
    TREND_COLUMNS,
    commit_risk_panel,
    level_words,
    metrics_table,
    month_words,
    prediction_sentence,
    reasons_list,
    reasons_short,
    risk_per_month_chart,
    score_histogram_chart,
)
from analysis.selectors.risk import model_version_monitoring, risk_over_time
from analysis.services.models import model_promote
from gitinsight.admin.scoping import ReadOnlyAdmin, TenantScopedAdmin, role_action
from gitinsight.charts import ChartSpec, Series, chart
from gitinsight.presentation import EMPTY, number, percent, readable, sentence_case, table, when, words
from gitinsight.security.roles import Action
from ingestion.admin import CommitAdmin
from ingestion.models import Commit


def _link(obj, text: str) -> str:
    meta = obj._meta
    return format_html('<a href="{}">{}</a>', reverse(f"admin:{meta.app_label}_{meta.model_name}_change",
                                                      args=[obj.pk]), text)


def _first_line(message: str, width: int = 72) -> str:
    line = (message or "").strip().splitlines()[0] if (message or "").strip() else ""
    return line if len(line) <= width else f"{line[:width - 1]}…"


class RiskLevelListMixin:
    @admin.display(description="chance of a bug", ordering="probability")
    def chance(self, obj) -> str:
        return percent(obj.probability)

    @admin.display(description="level", ordering="risk_level")
    def level(self, obj) -> str:
        return level_words(obj.risk_level)

    @admin.display(description="why")
    def why(self, obj) -> str:
        return reasons_short(obj.top_features)

    @admin.display(description="reasons")
    def reasons(self, obj) -> str:
        return reasons_list(obj.top_features)


@admin.register(CommitRiskPrediction)
class CommitRiskPredictionAdmin(RiskLevelListMixin, TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ["commit_link", "repository", "chance", "level", "standing", "why", "created_at"]
    list_filter = ["risk_level", "commit__repository"]
    search_fields = ["commit__sha", "commit__message"]
    ordering = ["-probability"]
    list_select_related = False  # get_queryset selects them, without the model's bytes
    fields = ["summary", "reasons", "commit_link", "model_used", "created_at"]

    def get_queryset(self, request: HttpRequest):
        return (super().get_queryset(request).select_related("commit__repository", "model_version")
                .defer("model_version__model_bytes"))
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description="commit", ordering="commit__committed_at")
    def commit_link(self, obj: CommitRiskPrediction) -> str:
        return _link(obj.commit, format_html("{} <span data-verbatim>{}</span>", obj.commit.sha[:10],
                                             _first_line(obj.commit.message)))

    @admin.display(description="repository")
    def repository(self, obj: CommitRiskPrediction) -> str:
        return obj.commit.repository.full_name

    @admin.display(description="among this repository's commits", ordering="percentile")
    def standing(self, obj: CommitRiskPrediction) -> str:
        return sentence_case(standing_sentence(obj.percentile))

    @admin.display(description="in a sentence")
    def summary(self, obj: CommitRiskPrediction) -> str:
        return prediction_sentence(obj.probability, obj.risk_level, percentile=obj.percentile)

    @admin.display(description="model")
    def model_used(self, obj: CommitRiskPrediction) -> str:
        return _link(obj.model_version, f"version {obj.model_version.version}")


@admin.register(PullRequestRiskPrediction)
class PullRequestRiskPredictionAdmin(RiskLevelListMixin, TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ["pull_request_link", "head", "chance", "level", "commit_count", "why", "created_at"]
    list_filter = ["risk_level", "pull_request__repository"]
    search_fields = ["head_sha", "pull_request__title"]
    ordering = ["-probability"]
    list_select_related = False  # get_queryset selects them, without the model's bytes

    def get_queryset(self, request: HttpRequest):
        return (super().get_queryset(request).select_related("pull_request__repository", "model_version")
                .defer("model_version__model_bytes"))
    fields = ["summary", "reasons", "pull_request_link", "head", "commit_count", "riskiest", "model_used", "created_at"]
    readonly_fields = fields

    @admin.display(description="pull request", ordering="pull_request__number")
    def pull_request_link(self, obj: PullRequestRiskPrediction) -> str:
        return _link(obj.pull_request, f"#{obj.pull_request.number} {obj.pull_request.title}")

    @admin.display(description="head commit")
    def head(self, obj: PullRequestRiskPrediction) -> str:
        return obj.head_sha[:10]

    @admin.display(description="in a sentence")
    def summary(self, obj: PullRequestRiskPrediction) -> str:
        return prediction_sentence(obj.probability, obj.risk_level, percentile=obj.percentile,
                                   what=f"at least one of its {obj.commit_count} commits")

    @admin.display(description="riskiest commit")
    def riskiest(self, obj: PullRequestRiskPrediction) -> str:
        commit = obj.riskiest_commit
        return _link(commit, f"{commit.sha[:10]} {_first_line(commit.message)}") if commit else "none scored"

    @admin.display(description="model")
    def model_used(self, obj: PullRequestRiskPrediction) -> str:
        return _link(obj.model_version, f"version {obj.model_version.version}")


@admin.register(ModelVersion)
class ModelVersionAdmin(TenantScopedAdmin):
    change_action = Action.MODELS
    list_display = ["__str__", "repository", "kind", "is_active", "ranking", "found_at_20", "n_train", "created_at"]
    list_filter = ["repository", "is_active"]
    fields = ["summary", "selection_reason", "repository", "version", "is_active", "holdout_figures", "training",
              "monitoring", "risk_chart", "promoted_at", "created_at"]
    readonly_fields = fields
    actions = ["promote"]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).defer("model_bytes")  # the trained model: megabytes per row

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="model")
    def kind(self, obj: ModelVersion) -> str:
        return ALGORITHM_NAMES.get(obj.algorithm, words(obj.algorithm)).capitalize()

    @admin.display(description="ranking quality (AUC)")
    def ranking(self, obj: ModelVersion) -> str:
        value = obj.metrics.get("auc")
        return percent(value) if isinstance(value, float) and value == value else EMPTY

    @admin.display(description="bugs found in 20 % of the lines")
    def found_at_20(self, obj: ModelVersion) -> str:
        value = obj.metrics.get("recall_at_20_effort")
        return percent(value) if isinstance(value, float) and value == value else EMPTY

    @admin.display(description="in a sentence")
    def summary(self, obj: ModelVersion) -> str:
        state = "is the active model" if obj.is_active else "is not in use"
        what = f"Version {obj.version} of {obj.repository} ({self.kind(obj).lower()}) {state}"
        if obj.algorithm == "global":  # trained elsewhere: nothing of this repository was held out
            return f"{what}; it learnt from {obj.n_train:,} labelled commits of other projects."
        return (f"{what}; it learnt from {obj.n_train:,} labelled commits and was checked on the "
                f"{obj.n_holdout:,} that came after them.")

    @admin.display(description="on the holdout")
    def holdout_figures(self, obj: ModelVersion) -> str:
        return metrics_table(obj.metrics)

    @admin.display(description="commits used")
    def training(self, obj: ModelVersion) -> str:
        if obj.train_from is None:
            return "Commits of other projects (the global model ships with GitInsight); none of this repository's."
        return format_html("Learnt from commits of {} to {}; checked on commits of {} to {}.",
                           when(obj.train_from, with_time=False), when(obj.train_until, with_time=False),
                           when(obj.holdout_from, with_time=False), when(obj.holdout_until, with_time=False))

    @admin.display(description="in use")
    def monitoring(self, obj: ModelVersion) -> str:
        stats = model_version_monitoring(obj)
        precision = stats["realised_precision"]
        checked = (f"Of the {stats['high_risk_matured']:,} commits it called high risk whose labels are known, "
                   f"{percent(precision)} really introduced a bug." if precision is not None
                   else "No commit it called high risk is old enough yet to know whether it introduced a bug.")
        return format_html("<p>{}</p>{}", checked, score_histogram_chart(stats["score_histogram"]))

    @admin.display(description="mean risk per month")
    def risk_chart(self, obj: ModelVersion) -> str:
        return risk_per_month_chart(risk_over_time(repository_id=obj.repository_id, model_version=obj))

    @role_action(Action.MODELS, description="Promote to the active model of its repository")
    def promote(self, request: HttpRequest, queryset: QuerySet[ModelVersion]) -> None:
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one model version to promote.", level=messages.ERROR)
            return
        promoted = model_promote(model_version=queryset.get(), by=request.user, reason="promoted in the admin")
        self.message_user(request, f"{promoted.repository} version {promoted.version} is now active.")


@admin.register(TrainingExample)
class TrainingExampleAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ["commit", "feature_version", "is_fix", "label_words", "labelled_by", "created_at"]
    list_filter = ["is_fix", "feature_version", "commit__repository"]
    search_fields = ["commit__sha"]
    list_select_related = ["commit"]

    fields = ["commit", "label_words", "labelled_by", "is_fix", "features", "feature_version", "labelled_at"]
    readonly_fields = fields

    @admin.display(description="label", ordering="label")
    def label_words(self, obj: TrainingExample) -> str:
        return {0: "clean", 1: "bug-inducing"}.get(obj.label, "not known yet")

    @admin.display(description="labelled by", ordering="label_source")
    def labelled_by(self, obj: TrainingExample) -> str:
        return {"szz": "SZZ (the fixes that followed)", "imported": "imported labels"}.get(obj.label_source, "—")

    @admin.display(description="features")
    def features(self, obj: TrainingExample) -> str:
        return readable(obj.feature_vector)


@admin.register(BugInducingLink)
class BugInducingLinkAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ["fix_commit", "inducing_commit", "path", "szz_version", "created_at"]
    list_filter = ["repository", "szz_version"]
    search_fields = ["fix_commit__sha", "inducing_commit__sha", "path"]


class GenerationFilter(admin.SimpleListFilter):
    """The latest computation of each repository by default; older generations on request."""

    title = "computation"
    parameter_name = "generation"

    def lookups(self, request, model_admin):
        return [("all", "every computation")]

    def choices(self, changelist):
        yield {"selected": self.value() is None, "query_string": changelist.get_query_string(remove=["generation"]),
               "display": "the latest"}
        yield {"selected": self.value() == "all", "query_string": changelist.get_query_string({"generation": "all"}),
               "display": "every computation"}

    def queryset(self, request, queryset):
        return queryset if self.value() == "all" else queryset.latest_generation()


def insight_chart(insight: Insight) -> str:
    columns = TREND_COLUMNS.get(insight.type)
    items = insight.data.get("items") or []
    if not columns or not items:
        return ""
    labels = [month_words(item.get("month", "")) for item in items]
    percent_like = {"mean_risk", "fix_share", "failure_rate"}
    colors = ["#2f6fb0", "#c0392b", "#27ae60"]
    series = [Series(words(column), [item.get(column) for item in items], color=colors[i % 3])
              for i, column in enumerate(columns)]
    spec = ChartSpec(labels=labels, series=series, y_title=", ".join(words(c) for c in columns),
                     y_format="percent" if set(columns) <= percent_like else "number")
    return chart(spec, title=insight.title, summary=insight.description or insight.title)


@admin.register(Insight)
class InsightAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ["title", "repository", "type", "confidence", "generated_at"]
    list_filter = [GenerationFilter, "type", "repository"]
    search_fields = ["title", "description"]
    fields = ["repository", "type", "title", "description", "confidence", "tags", "generated_at", "chart",
              "evidence"]
    readonly_fields = fields

    @admin.display(description="confidence", ordering="confidence_score")
    def confidence(self, insight: Insight) -> str:
        return percent(insight.confidence_score)

    @admin.display(description="chart")
    def chart(self, insight: Insight) -> str:
        return insight_chart(insight) or EMPTY

    @admin.display(description="evidence")
    def evidence(self, insight: Insight) -> str:
        items = insight.data.get("items") or []
        considered = insight.data.get("commits_considered")
        note = f"From {number(considered)} commits." if considered else ""
        return format_html("{}<p>{}</p>", table(items, limit=100), note)


@admin.register(RepositoryStats)
class RepositoryStatsAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ["full_name", "language", "stars", "forks", "total_insights", "confidence", "follower_count",
                    "recent_insight_count", "trending", "latest_insight"]
    list_filter = ["language"]
    search_fields = ["full_name"]

    @admin.display(description="mean confidence", ordering="avg_confidence")
    def confidence(self, stats: RepositoryStats) -> str:
        return percent(stats.avg_confidence)

    @admin.display(description="trending score", ordering="trending_score")
    def trending(self, stats: RepositoryStats) -> str:
        return number(stats.trending_score)


class CommitRiskAdmin(CommitAdmin):
    """Ingestion's commit pages with their risk: a column in the list, a panel on the page."""

    list_display = ["short_sha", "subject", "risk", "repository", "author_name", "committed_on", "size"]
    fieldsets = [(None, {"fields": ["summary", "risk_panel", "message_text", "repository", "pull_requests"]}),
                 *CommitAdmin.fieldsets[1:]]
    readonly_fields = [*CommitAdmin.readonly_fields, "risk_panel"]

    def get_queryset(self, request: HttpRequest):
        latest = CommitRiskPrediction.objects.filter(commit=OuterRef("pk")).newest_first()
        return super().get_queryset(request).annotate(
            risk_probability=Subquery(latest.values("probability")[:1]),
            risk_level_value=Subquery(latest.values("risk_level")[:1]),
        )

    @admin.display(description="risk", ordering="risk_probability")
    def risk(self, obj) -> str:
        if obj.risk_probability is None:
            return "merge" if obj.is_merge else "not scored"
        return f"{percent(obj.risk_probability)} ({level_words(obj.risk_level_value)})"

    @admin.display(description="risk")
    def risk_panel(self, obj) -> str:
        return commit_risk_panel(obj)


admin.site.unregister(Commit)
admin.site.register(Commit, CommitRiskAdmin)
