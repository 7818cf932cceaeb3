"""Dashboard items from sprints: open milestones whose latest forecast is at risk or off track."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from sprints.models import ForecastResult, ForecastStatus
from workspace.inbox import AttentionItem


def milestones_at_risk(user: AbstractBaseUser) -> list[AttentionItem]:
    latest = ForecastResult.objects.visible_to(user).filter(milestone__state="open").select_related(
        "milestone__repository").latest_per_milestone()
    items = []
    for forecast in latest:
        if forecast.status == ForecastStatus.ON_TRACK:
            continue
        milestone = forecast.milestone
        items.append(AttentionItem(
            kind="milestone_at_risk",
            repository=milestone.repository.full_name,
            title=f"{milestone.title}: {forecast.get_status_display().lower()}",
            url=f"/admin/sprints/forecastresult/milestone/{milestone.pk}/",
            severity="high" if forecast.status == ForecastStatus.OFF_TRACK else "medium",
            detail=f"{forecast.completion_probability}% by {milestone.due_on:%Y-%m-%d}" if milestone.due_on else "",
            score=100 - float(forecast.completion_probability or 0),
        ))
    return items
