"""SVG charts of a stored forecast (burn-down, burn-up with the scope line, completion distribution),
drawn server-side with `workspace.core.svg_charts`: no JavaScript, no CDN."""

from __future__ import annotations

from datetime import date

from workspace.core.svg_charts import Series, bar_chart, line_chart


def _day(value: str) -> float:
    return float(date.fromisoformat(value).toordinal())


def _label(value: float) -> str:
    return date.fromordinal(round(value)).strftime("%b %d")


def _markers(due: date | None, predicted: date | None) -> list[tuple[float, str]]:
    markers = []
    if due is not None:
        markers.append((float(due.toordinal()), "due"))
    if predicted is not None:
        markers.append((float(predicted.toordinal()), "median"))
    return markers


def burndown_svg(ideal: list[dict], actual: list[dict], *, due: date | None, predicted: date | None) -> str:
    series = [Series("remaining", [(_day(p["date"]), float(p["remaining"])) for p in actual])]
    if ideal:
        series.append(Series("ideal", [(_day(p["date"]), float(p["remaining"])) for p in ideal], dashed=True))
    return line_chart(series, title="Burn-down", x_format=_label, markers=_markers(due, predicted))


def burnup_svg(actual: list[dict], *, due: date | None, predicted: date | None) -> str:
    series = [
        Series("completed", [(_day(p["date"]), float(p["completed"])) for p in actual]),
        Series("scope", [(_day(p["date"]), float(p["scope"])) for p in actual], dashed=True),
    ]
    return line_chart(series, title="Burn-up (scope line dashed)", x_format=_label, markers=_markers(due, predicted))


def distribution_svg(distribution: list[dict]) -> str:
    bars = [(date.fromisoformat(p["date"]).strftime("%b %d"), 100 * float(p["probability"])) for p in distribution]
    return bar_chart(bars, title="Completion date distribution (% of simulations)")
