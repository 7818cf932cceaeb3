"""Writes of milestone forecasts, their risks and recommendations; accepting a recommendation."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from gitinsight.database.tenant_scope import organization_scope
from gitinsight.services.audit import audit_record
from ingestion.models import Issue, Milestone
from sprints.core import recommendations as rec
from sprints.core import risks
from sprints.core.forecast import estimate_weight, forecast_milestone, probability_after_removal
from sprints.models import ForecastResult, ForecastStatus, IssueDependency, Recommendation, RiskAssessment
from sprints.selectors.forecasts import forecast_request_for, risk_snapshot_for
from sprints.services.dependencies import issue_dependencies_sync
from workspace.services.notifications import followers_notify


class RecommendationAlreadyAccepted(Exception):
    """The recommendation was accepted before; accepting twice would rewrite who and when."""


def _percent(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(100 * value, 2)))


def _descope_candidates(milestone: Milestone) -> list[rec.DescopeCandidate]:
    open_issues = list(milestone.issues.filter(is_pull_request=False, state="open"))
    blockers = set(
        IssueDependency.objects.filter(depends_on_issue__in=open_issues, issue__state="open")
        .exclude(dependency_type=IssueDependency.Type.RELATED)
        .values_list("depends_on_issue_id", flat=True)
    )
    return [
        rec.DescopeCandidate(
            number=issue.number,
            weight=estimate_weight(issue.labels or []),
            labels=tuple(issue.labels or []),
            assigned=bool(issue.assignees),
            blocks_others=issue.pk in blockers,
        )
        for issue in open_issues
    ]


def milestone_forecast_refresh(milestone_id: int, *, as_of: datetime | None = None) -> ForecastResult:
    """Forecast a milestone now: sync the dependencies stated in its issues, simulate, assess risks,
    search what to move out for 85 %, and store it all as a new forecast (older ones stay)."""
    milestone = Milestone.objects.select_related("repository").get(pk=milestone_id)
    as_of = as_of or timezone.now()
    for issue in Issue.objects.filter(milestone=milestone, is_pull_request=False).select_related("repository"):
        issue_dependencies_sync(issue=issue)
    request = forecast_request_for(milestone, as_of=as_of)
    forecast = forecast_milestone(request)
    found = risks.assess_risks(risk_snapshot_for(milestone, request, as_of=as_of))
    plan = None
    if request.due is not None and forecast.remaining > 0:
        plan = rec.descope_plan(_descope_candidates(milestone), probability_after_removal(forecast, request))
    advice = rec.recommend(found, plan)
    previous = ForecastResult.objects.filter(milestone=milestone).newest_first().first()
    with transaction.atomic():
        result = ForecastResult.objects.create(
            milestone=milestone,
            completion_probability=_percent(forecast.completion_probability),
            predicted_completion_date=forecast.predicted_date,
            confidence_lower=forecast.lower_date,
            confidence_upper=forecast.upper_date,
            status=forecast.status,
            health_score=Decimal(str(risks.health_score(forecast.completion_probability, found))),
            velocity_current=Decimal(str(forecast.velocity_current)),
            velocity_required=None if forecast.velocity_required is None else Decimal(str(forecast.velocity_required)),
            remaining_work=forecast.remaining,
            total_scope=forecast.scope,
            burndown_ideal=forecast.burndown_ideal,
            burndown_actual=forecast.burndown_actual,
            distribution=forecast.distribution,
            calibration=forecast.calibration,
            evidence={
                "daily_throughput": forecast.throughput_sample,
                "descope": None if plan is None else asdict(plan),
            },
            model_version=forecast.model_version,
            reasoning=forecast.reasoning,
            analyzed_at=as_of,
        )
        stored = {}
        for risk in found:
            stored[risk.risk_type] = RiskAssessment.objects.create(
                forecast=result,
                risk_type=risk.risk_type,
                severity=risk.severity,
                probability=_percent(risk.probability),
                impact_days=risk.impact_days,
                title=risk.title[:255],
                description=risk.description,
                affected_issues=risk.affected_issues,
                evidence=risk.evidence,
                confidence=_percent(risk.confidence),
                detected_at=as_of,
            )
        for item in advice:
            Recommendation.objects.create(
                forecast=result,
                risk=stored.get(item.risk_type) if item.risk_type else None,
                category=item.category,
                priority=item.priority,
                action=item.action,
                rationale=item.rationale,
                expected_impact=item.expected_impact,
                effort_estimate=item.effort_estimate,
                affected_issues=item.issues,
            )
    if result.status != ForecastStatus.ON_TRACK and (previous is None or previous.status == ForecastStatus.ON_TRACK):
        milestone_at_risk_notify(result)
    return result


def milestone_at_risk_notify(result: ForecastResult) -> int:
    """Followers hear once each time a milestone turns from on track (or unforecast) to at risk."""
    milestone = result.milestone
    return followers_notify(
        repository_id=milestone.repository_id,
        kind="milestone_at_risk",
        event_key=f"milestone_at_risk:{milestone.pk}:{result.pk}",
        subject=f"Milestone {milestone.title} is {result.get_status_display().lower()}",
        body=(f"Chance to ship by the due date: {result.completion_probability}%. "
              f"Likely date {result.predicted_completion_date} ({result.confidence_lower} - {result.confidence_upper})."
              f"\n{result.reasoning}"),
        url=f"/admin/sprints/forecastresult/milestone/{milestone.pk}/",
    )


def open_milestones_refresh() -> int:
    """The daily refresh: every open milestone of an active repository, each in the scope of
    its own organization."""
    count = 0
    open_milestones = Milestone.objects.filter(state="open", repository__is_active=True)
    for milestone_id, organization_id in open_milestones.values_list("pk", "repository__organization_id"):
        with organization_scope(organization_id):
            milestone_forecast_refresh(milestone_id)
        count += 1
    return count


@transaction.atomic
def recommendation_accept(*, recommendation: Recommendation, user: AbstractBaseUser) -> Recommendation:
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if locked.accepted:
        raise RecommendationAlreadyAccepted(f"recommendation {locked.pk} was already accepted")
    locked.accepted = True
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted", "accepted_at", "accepted_by", "updated_at"])
    audit_record(
        user=user,
        action="sprints.recommendation.accept",
        resource_type="recommendation",
        resource_id=locked.pk,
        details={"forecast": locked.forecast_id, "action": locked.action[:200], "category": locked.category},
    )
    return locked
