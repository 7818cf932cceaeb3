from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from gitinsight.admin.readable import words_filter
from gitinsight.admin.scoping import ReadOnlyAdmin, TenantScopedAdmin, role_action
from gitinsight.presentation import percent, readable, sentence_case, when, words
from gitinsight.security.roles import Action, role_check, user_can
from ingestion.admin import MilestoneAdmin
from ingestion.models import Milestone
from sprints.models import ForecastResult, IssueDependency, Recommendation, RiskAssessment
from sprints.presentation import STATUS_WORDS, forecast_charts, forecast_sentence, throughput_table
from sprints.selectors.forecasts import latest_forecast
from sprints.services.forecasts import RecommendationAlreadyAccepted, milestone_forecast_refresh, recommendation_accept


class RiskInline(admin.TabularInline):
    model = RiskAssessment
    extra = 0
    can_delete = False
    fields = ("title", "severity", "chance", "impact_days", "affected", "description")
    readonly_fields = fields

    @admin.display(description="chance")
    def chance(self, risk: RiskAssessment) -> str:
        return percent(risk.probability, already_percent=True)

    @admin.display(description="issues")
    def affected(self, risk: RiskAssessment) -> str:
        return issue_numbers(risk.affected_issues)


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0
    can_delete = False
    fields = ("priority", "action", "rationale", "expected_impact", "effort_estimate", "accepted", "accepted_by")
    readonly_fields = fields


def issue_numbers(numbers: list[int]) -> str:
    return ", ".join(f"#{number}" for number in numbers or []) or "—"


class LatestForecastFilter(admin.SimpleListFilter):
    """The latest forecast of each milestone by default; every refresh is kept and one click away."""

    title = "forecasts"
    parameter_name = "forecasts"

    def lookups(self, request, model_admin):
        return [("all", "every refresh")]

    def choices(self, changelist):
        yield {"selected": self.value() is None, "query_string": changelist.get_query_string(remove=["forecasts"]),
               "display": "the latest of each milestone"}
        yield {"selected": self.value() == "all", "query_string": changelist.get_query_string({"forecasts": "all"}),
               "display": "every refresh"}

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        return queryset.filter(pk__in=ForecastResult.objects.latest_per_milestone().values("pk"))


@admin.register(ForecastResult)
class ForecastResultAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ("milestone", "repository", "status", "chance", "likely_done", "interval", "analyzed_at",
                    "milestone_page")
    list_filter = (LatestForecastFilter, "status")
    list_select_related = ("milestone__repository",)
    search_fields = ("milestone__title", "milestone__repository__full_name")
    fields = ("summary", "milestone_page", "reasoning", "health", "velocity", "scope", "throughput", "analyzed_at")
    readonly_fields = fields
    inlines = (RiskInline, RecommendationInline)
    actions = ("refresh_forecasts",)

    @admin.display(description="repository")
    def repository(self, obj: ForecastResult) -> str:
        return obj.milestone.repository.full_name

    @admin.display(description="chance to ship by the due date", ordering="completion_probability")
    def chance(self, obj: ForecastResult) -> str:
        if obj.completion_probability is None:
            return "no due date"
        return percent(obj.completion_probability, already_percent=True)

    @admin.display(description="likely done", ordering="predicted_completion_date")
    def likely_done(self, obj: ForecastResult) -> str:
        return when(obj.predicted_completion_date) if obj.predicted_completion_date else "beyond the horizon"

    @admin.display(description="80 % interval")
    def interval(self, obj: ForecastResult) -> str:
        if not obj.confidence_lower:
            return "—"
        upper = when(obj.confidence_upper) if obj.confidence_upper else "beyond the horizon"
        return f"{when(obj.confidence_lower)} to {upper}"

    @admin.display(description="in a sentence")
    def summary(self, obj: ForecastResult) -> str:
        return forecast_sentence(obj)

    @admin.display(description="health")
    def health(self, obj: ForecastResult) -> str:
        return f"{obj.health_score:.0f} of 100 (the chance to ship, less what the risks below may cost)"

    @admin.display(description="pace")
    def velocity(self, obj: ForecastResult) -> str:
        needed = (f"; {obj.velocity_required:g} a week are needed to finish by the due date"
                  if obj.velocity_required is not None else "")
        return f"{obj.velocity_current:g} units of work finished a week over the last two weeks{needed}."

    @admin.display(description="scope")
    def scope(self, obj: ForecastResult) -> str:
        return f"{obj.remaining_work:g} of {obj.total_scope:g} units of work remain."

    @admin.display(description="evidence")
    def throughput(self, obj: ForecastResult) -> str:
        return throughput_table(obj)

    @admin.display(description="page")
    def milestone_page(self, obj: ForecastResult) -> str:
        url = reverse("admin:sprints_milestone_forecast", args=[obj.milestone_id])
        return format_html('<a href="{}">forecast with charts</a>', url)

    @role_action(Action.RUN_JOBS, description="Refresh the forecast of the selected forecasts' milestones")
    def refresh_forecasts(self, request: HttpRequest, queryset) -> None:
        milestone_ids = set(queryset.values_list("milestone_id", flat=True))
        for milestone_id in milestone_ids:
            milestone_forecast_refresh(milestone_id)
        self.message_user(request, ngettext("Refreshed %(count)d milestone forecast.",
                                            "Refreshed %(count)d milestone forecasts.",
                                            len(milestone_ids)) % {"count": len(milestone_ids)})

    def get_urls(self):
        custom = [
            path(
                "milestone/<int:milestone_id>/",
                self.admin_site.admin_view(self.milestone_view),
                name="sprints_milestone_forecast",
            ),
        ]
        return custom + super().get_urls()

    def milestone_view(self, request: HttpRequest, milestone_id: int) -> HttpResponse:
        milestone = get_object_or_404(Milestone.objects.visible_to(request.user).select_related("repository"),
                                      pk=milestone_id)
        if request.method == "POST" and "refresh" in request.POST:
            role_check(request.user, Action.RUN_JOBS, milestone)
            milestone_forecast_refresh(milestone.pk)
            messages.success(request, "Forecast refreshed.")
        elif request.method == "POST" and "accept" in request.POST:
            role_check(request.user, Action.FEEDBACK, milestone)
            recommendation = get_object_or_404(Recommendation, pk=request.POST["accept"], forecast__milestone=milestone)
            try:
                recommendation_accept(recommendation=recommendation, user=request.user)
                messages.success(request, "Recommendation accepted.")
            except RecommendationAlreadyAccepted as exc:
                messages.warning(request, str(exc))
        forecast = latest_forecast(milestone)
        context = {**self.admin_site.each_context(request), "title": f"Forecast of {milestone}", "milestone": milestone,
                   "can_refresh": user_can(request.user, Action.RUN_JOBS, milestone)}
        if forecast is not None:
            context |= {
                "forecast": forecast,
                "summary": forecast_sentence(forecast),
                "charts": forecast_charts(forecast),
                "risks": forecast.risks.all(),
                "recommendations": forecast.recommendations.all(),
            }
        return TemplateResponse(request, "admin/sprints/milestone_forecast.html", context)


@admin.register(Recommendation)
class RecommendationAdmin(TenantScopedAdmin):
    list_display = ("action", "kind", "priority", "forecast", "accepted", "accepted_by", "accepted_at")
    list_filter = ("accepted", words_filter("category", "kind"), "priority")
    readonly_fields = (
        "forecast",
        "risk",
        "kind",
        "priority",
        "action",
        "rationale",
        "expected_impact",
        "effort_estimate",
        "affected",
        "accepted",
        "accepted_at",
        "accepted_by",
    )
    fields = readonly_fields

    @admin.display(description="issues")
    def affected(self, recommendation: Recommendation) -> str:
        return issue_numbers(recommendation.affected_issues)

    @admin.display(description="kind", ordering="category")
    def kind(self, recommendation: Recommendation) -> str:
        return sentence_case(words(recommendation.category))
    actions = ("accept",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @role_action(Action.FEEDBACK, description="Accept the selected recommendations")
    def accept(self, request: HttpRequest, queryset) -> None:
        accepted = 0
        for recommendation in queryset:
            try:
                recommendation_accept(recommendation=recommendation, user=request.user)
                accepted += 1
            except RecommendationAlreadyAccepted:
                continue
        self.message_user(request, ngettext("Accepted %(count)d recommendation.", "Accepted %(count)d recommendations.",
                                            accepted) % {"count": accepted})


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ("title", "kind", "severity", "chance", "impact_days", "forecast", "detected_at")
    list_filter = (words_filter("risk_type", "kind of risk"), "severity")
    fields = ("title", "description", "kind", "severity", "chance", "impact_days", "affected", "evidence_table",
              "forecast", "detected_at")
    readonly_fields = fields

    @admin.display(description="kind of risk", ordering="risk_type")
    def kind(self, risk: RiskAssessment) -> str:
        return sentence_case(words(risk.risk_type))

    @admin.display(description="chance", ordering="probability")
    def chance(self, risk: RiskAssessment) -> str:
        return percent(risk.probability, already_percent=True)

    @admin.display(description="issues")
    def affected(self, risk: RiskAssessment) -> str:
        return issue_numbers(risk.affected_issues)

    @admin.display(description="evidence")
    def evidence_table(self, risk: RiskAssessment) -> str:
        return risk_evidence(risk.evidence)


@admin.register(IssueDependency)
class IssueDependencyAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ("issue", "depends_on_issue", "dependency_type", "created_at")
    list_filter = ("dependency_type",)


def risk_evidence(evidence: dict) -> str:
    """A risk's evidence in words where its shape is known; otherwise a table."""
    if "edges" in evidence:
        edges = [f"#{first} waits for #{second}" + ("" if open_ else " (done)")
                 for first, second, open_ in evidence["edges"]]
        return "; ".join(edges) or "—"
    return readable(evidence)


class MilestoneForecastAdmin(MilestoneAdmin):
    """Ingestion's milestone pages with their latest forecast and a link to its charts."""

    list_display = [*MilestoneAdmin.list_display, "outlook"]
    fields = ["title", "forecast", *MilestoneAdmin.fields[1:]]

    def get_queryset(self, request: HttpRequest):
        latest = ForecastResult.objects.filter(milestone=OuterRef("pk")).newest_first()
        return super().get_queryset(request).annotate(
            outlook_status=Subquery(latest.values("status")[:1]),
            outlook_chance=Subquery(latest.values("completion_probability")[:1]),
        )

    @admin.display(description="forecast")
    def outlook(self, milestone: Milestone) -> str:
        if milestone.outlook_status is None:
            return "not forecast yet"
        status = STATUS_WORDS.get(milestone.outlook_status, milestone.outlook_status)
        if milestone.outlook_chance is None:
            return status
        return f"{status}, {percent(milestone.outlook_chance, already_percent=True)} chance by the due date"
    readonly_fields = ["title", "forecast", *MilestoneAdmin.readonly_fields[1:]]

    @admin.display(description="forecast")
    def forecast(self, milestone: Milestone) -> str:
        url = reverse("admin:sprints_milestone_forecast", args=[milestone.pk])
        latest = latest_forecast(milestone)
        if latest is None:
            return format_html('Not forecast yet. <a href="{}">Forecast page</a>', url)
        return format_html('{} <a href="{}">Charts, risks and recommendations</a>', forecast_sentence(latest), url)


admin.site.unregister(Milestone)
admin.site.register(Milestone, MilestoneForecastAdmin)
