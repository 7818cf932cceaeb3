"""A milestone forecast in words and charts: the chance to ship by the due date, the likely
date with its interval, burn-down, burn-up and the spread of simulated finish dates."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.html import format_html
from django.utils.safestring import SafeString

from gitinsight.charts import ChartSpec, Series, chart
from gitinsight.presentation import percent, when
from sprints.models import ForecastResult

STATUS_WORDS = {"on_track": "on track", "at_risk": "at risk", "off_track": "off track"}


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _label(day: date) -> str:
    return f"{day.day} {day:%b}"


def forecast_sentence(forecast: ForecastResult) -> str:
    """What a maintainer asks first: will it ship by the due date, and when will it be done."""
    milestone = forecast.milestone
    status = STATUS_WORDS.get(forecast.status, forecast.status)
    if forecast.completion_probability is not None and milestone.due_on:
        chance = (f"{percent(forecast.completion_probability, already_percent=True)} chance to ship by "
                  f"{when(milestone.due_on, with_time=False)}")
    else:
        chance = "no due date"
    if forecast.predicted_completion_date:
        likely = f"most likely done by {when(forecast.predicted_completion_date)}"
        if forecast.confidence_lower and forecast.confidence_upper:
            likely += (f" (80 % between {when(forecast.confidence_lower)} and "
                       f"{when(forecast.confidence_upper)})")
    else:
        likely = "no finish date within the simulated horizon at the current pace"
    return f"{status.capitalize()}: {chance}; {likely}."


def _axis(*dates: date | None) -> list[date]:
    known = [day for day in dates if day is not None]
    start, end = min(known), max(known)
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]


def _markers(axis: list[date], due: date | None, predicted: date | None) -> list[tuple[str, str]]:
    markers = []
    if due is not None and axis[0] <= due <= axis[-1]:
        markers.append((_label(due), "due"))
    if predicted is not None and axis[0] <= predicted <= axis[-1]:
        markers.append((_label(predicted), "likely done"))
    return markers


def forecast_charts(forecast: ForecastResult) -> list[SafeString]:
    """Burn-down (remaining against the ideal line), burn-up (done against scope) and the
    distribution of simulated finish dates, each with a one-sentence summary."""
    due = forecast.milestone.due_on.date() if forecast.milestone.due_on else None
    predicted = forecast.predicted_completion_date
    actual = {_day(point["date"]): point for point in forecast.burndown_actual}
    ideal = {_day(point["date"]): point["remaining"] for point in forecast.burndown_ideal}
    charts = []
    if actual:
        axis = _axis(*actual, *ideal, due, predicted)
        labels = [_label(day) for day in axis]
        markers = _markers(axis, due, predicted)
        last = actual[max(actual)]
        burndown = ChartSpec(labels=labels, markers=markers, y_title="work remaining", series=[
            Series("remaining", [actual[day]["remaining"] if day in actual else None for day in axis]),
            Series("ideal", [ideal.get(day) for day in axis], color="#888888", dashed=True),
        ])
        charts.append(chart(burndown, title="Burn-down", summary=(
            f"{last['remaining']:g} of {last['scope']:g} units of work remain on {when(max(actual))}; the dashed "
            "line is the pace that would finish on the due date.")))
        burnup = ChartSpec(labels=labels, markers=markers, y_title="units of work", series=[
            Series("done", [actual[day]["completed"] if day in actual else None for day in axis], color="#27ae60"),
            Series("scope", [actual[day]["scope"] if day in actual else None for day in axis], color="#c0392b",
                   dashed=True),
        ])
        first = actual[min(actual)]
        charts.append(chart(burnup, title="Burn-up", summary=(
            f"Scope went from {first['scope']:g} to {last['scope']:g} units of work; {last['completed']:g} are done.")))
    if forecast.distribution:
        days = [_day(point["date"]) for point in forecast.distribution]
        spread = ChartSpec(labels=[_label(day) for day in days], y_title="share of simulated futures",
                           y_format="percent", markers=_markers(days, due, predicted), series=[
                               Series("finish on this date", [point["probability"] for point in forecast.distribution],
                                      kind="bar", color="#417690"),
                               Series("finished by this date", [point["cumulative"] for point in forecast.distribution],
                                      color="#8e44ad"),
                           ])
        charts.append(chart(spread, title="When it could be done", summary=(
            f"Simulated finish dates run from {when(days[0])} to {when(days[-1])}; the line shows the share "
            "finished by each date.")))
    return charts


def throughput_table(forecast: ForecastResult) -> SafeString:
    sample = forecast.evidence.get("daily_throughput") or []
    if not sample:
        return format_html("{}", "No finished work in the sample.")
    weeks = [sum(sample[i:i + 7]) for i in range(0, len(sample), 7)]
    return format_html("Work finished per week over the last {} weeks, oldest first: {}.", len(weeks),
                       ", ".join(f"{week:g}" for week in weeks))
