"""What sprints puts in the admin inbox: open milestones whose latest forecast is at risk or
off track, with the forecast in a sentence."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse

from sprints.models import ForecastResult, ForecastStatus
from sprints.presentation import forecast_sentence
from workspace.inbox import AttentionItem


def milestones_at_risk(user: AbstractBaseUser) -> list[AttentionItem]:
    latest = ForecastResult.objects.visible_to(user).filter(milestone__state="open").select_related(
        "milestone__repository").latest_per_milestone()
    items = []
    for forecast in latest:
        if forecast.status == ForecastStatus.ON_TRACK:
            continue
        milestone = forecast.milestone
        top_risk = forecast.risks.order_by("-probability").first()
        items.append(AttentionItem(
            kind="milestone_at_risk",
            repository=milestone.repository.full_name,
            title=milestone.title,
            url=reverse("admin:sprints_milestone_forecast", args=[milestone.pk]),
            severity="high" if forecast.status == ForecastStatus.OFF_TRACK else "medium",
            reason=forecast_sentence(forecast) + (f" Biggest risk: {top_risk.title.lower()}." if top_risk else ""),
            score=1 - float(forecast.completion_probability or 0) / 100,
            action="See the forecast and what to move out",
        ))
    return items
