"""Charts of trend insights (server-side SVG), for the insight page and the dashboard."""

from __future__ import annotations

from analysis.models import Insight
from workspace.core.svg_charts import Frame, Series, line_chart

TREND_COLUMNS = {
    Insight.Type.CONTRIBUTOR_ACTIVITY: ("commits", "authors"),
    Insight.Type.RISK_TREND: ("mean_risk", "fix_share"),
    Insight.Type.CI_FAILURE_TREND: ("failure_rate",),
}


def trend_chart(insight: Insight, *, months: int | None = None, frame: Frame = Frame()) -> str:
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
