"""Charts of trend insights (server-side SVG), for the insight page and the inbox. No Django
import: an insight is anything with a type, a title and its data."""

from __future__ import annotations

from typing import Any, Protocol

from workspace.core.svg_charts import Frame, Series, line_chart

#: the monthly columns drawn for each trend type (Insight.Type values)
TREND_COLUMNS = {
    "contributor_activity": ("commits", "authors"),
    "risk_trend": ("mean_risk", "fix_share"),
    "ci_failure_trend": ("failure_rate",),
}


class TrendInsight(Protocol):
    type: str
    title: str
    data: dict[str, Any]


def trend_chart(insight: TrendInsight, *, months: int | None = None, frame: Frame = Frame()) -> str:
    columns = TREND_COLUMNS.get(insight.type)
    items = insight.data.get("items") or []
    if months is not None:
        items = items[-months:]
    if not columns or not items:
        return ""
    series = [
        Series(column, [(i, item[column]) for i, item in enumerate(items) if item.get(column) is not None])
        for column in columns
    ]
    labels = [item["month"] for item in items]
    return line_chart(series, title=insight.title, frame=frame,
                      x_format=lambda x: labels[int(x)] if 0 <= x < len(labels) else "")
