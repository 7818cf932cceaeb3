from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from gitinsight.admin.scoping import ReadOnlyAdmin, TenantScopedAdmin, role_action
from gitinsight.security.roles import Action, role_check, user_can
from ingestion.models import Milestone
from sprints.core.charts import burndown_svg, burnup_svg, distribution_svg
from sprints.models import ForecastResult, IssueDependency, Recommendation, RiskAssessment
from sprints.selectors.forecasts import latest_forecast
from sprints.services.forecasts import RecommendationAlreadyAccepted, milestone_forecast_refresh, recommendation_accept


class RiskInline(admin.TabularInline):
    model = RiskAssessment
    extra = 0
    can_delete = False
    fields = ("risk_type", "severity", "probability", "impact_days", "title", "affected_issues", "confidence")
    readonly_fields = fields


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0
    can_delete = False
    fields = ("priority", "category", "action", "expected_impact", "effort_estimate", "accepted", "accepted_by")
    readonly_fields = fields


@admin.register(ForecastResult)
class ForecastResultAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = (
        "milestone",
        "status",
        "completion_probability",
        "predicted_completion_date",
        "confidence_lower",
        "confidence_upper",
        "health_score",
        "analyzed_at",
        "milestone_page",
    )
    list_filter = ("status",)
    search_fields = ("milestone__title", "milestone__repository__full_name")
    inlines = (RiskInline, RecommendationInline)
    actions = ("refresh_forecasts",)

    @admin.display(description="Page")
    def milestone_page(self, obj: ForecastResult) -> str:
        url = reverse("admin:sprints_milestone_forecast", args=[obj.milestone_id])
        return format_html('<a href="{}">charts</a>', url)

    @role_action(Action.RUN_JOBS, description="Refresh the forecast of the selected forecasts' milestones")
    def refresh_forecasts(self, request: HttpRequest, queryset) -> None:
        milestone_ids = set(queryset.values_list("milestone_id", flat=True))
        for milestone_id in milestone_ids:
            milestone_forecast_refresh(milestone_id)
        self.message_user(request, f"Refreshed {len(milestone_ids)} milestone forecast(s).")

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
        context = {**self.admin_site.each_context(request), "title": f"Forecast: {milestone}", "milestone": milestone,
                   "can_refresh": user_can(request.user, Action.RUN_JOBS, milestone)}
        if forecast is not None:
            due = milestone.due_on.date() if milestone.due_on else None
            predicted = forecast.predicted_completion_date
            context |= {
                "forecast": forecast,
                "burndown": mark_safe(  # noqa: S308  (markup built by svg_charts, text escaped there)
                    burndown_svg(forecast.burndown_ideal, forecast.burndown_actual, due=due, predicted=predicted)
                ),
                "burnup": mark_safe(burnup_svg(forecast.burndown_actual, due=due, predicted=predicted)),  # noqa: S308
                "distribution": mark_safe(distribution_svg(forecast.distribution)),  # noqa: S308
                "risks": forecast.risks.all(),
                "recommendations": forecast.recommendations.all(),
            }
        return TemplateResponse(request, "admin/sprints/milestone_forecast.html", context)


@admin.register(Recommendation)
class RecommendationAdmin(TenantScopedAdmin):
    list_display = ("action", "category", "priority", "forecast", "accepted", "accepted_by", "accepted_at")
    list_filter = ("accepted", "category", "priority")
    readonly_fields = (
        "forecast",
        "risk",
        "category",
        "priority",
        "action",
        "rationale",
        "expected_impact",
        "effort_estimate",
        "affected_issues",
        "accepted",
        "accepted_at",
        "accepted_by",
    )
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
        self.message_user(request, f"Accepted {accepted} recommendation(s).")


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ("title", "risk_type", "severity", "probability", "impact_days", "forecast", "detected_at")
    list_filter = ("risk_type", "severity")


@admin.register(IssueDependency)
class IssueDependencyAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ("issue", "depends_on_issue", "dependency_type", "created_at")
    list_filter = ("dependency_type",)
