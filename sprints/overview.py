"""Milestones and their forecasts on the repository overview (workspace.overview)."""

from __future__ import annotations

from django.urls import reverse

from ingestion.models import Milestone, Repository
from sprints.presentation import forecast_sentence
from sprints.selectors.forecasts import latest_forecast
from workspace.overview import OverviewLine, OverviewSection


def milestones_section(repository: Repository) -> OverviewSection | None:
    milestones = list(Milestone.objects.filter(repository=repository, state="open").order_by("due_on")[:5])
    if not milestones:
        return None
    section = OverviewSection(title="Milestones")
    for milestone in milestones:
        forecast = latest_forecast(milestone)
        text = forecast_sentence(forecast) if forecast else "Not forecast yet."
        section.lines.append(OverviewLine(text=f"{milestone.title}: {text}",
                                          url=reverse("admin:sprints_milestone_forecast", args=[milestone.pk]),
                                          link="forecast"))
    return section
