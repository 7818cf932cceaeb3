"""Charts on admin pages: Chart.js (vendored in static/vendor/chartjs, served locally) draws
them from a small spec written into the page with json_script. Each chart carries a one-
sentence summary under it, so the page says what the chart shows without reading it."""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field

from django.utils.html import format_html, json_script
from django.utils.safestring import SafeString

_ids = itertools.count(1)


@dataclass
class Series:
    label: str
    values: list[float | None]
    kind: str = "line"  # "line" or "bar"
    color: str = "#2f6fb0"
    dashed: bool = False
    fill: bool = False


@dataclass
class ChartSpec:
    labels: list[str]
    series: list[Series]
    y_title: str
    x_title: str = ""
    y_format: str = "number"  # "number", "percent" (values 0-1) or "integer"
    y_min: float | None = 0
    y_max: float | None = None
    #: vertical marker lines: (label on the x axis, text)
    markers: list[tuple[str, str]] = field(default_factory=list)
    stacked: bool = False


def chart(spec: ChartSpec, *, title: str, summary: str) -> SafeString:
    """A titled chart with its summary sentence; empty data gives the summary alone."""
    if not spec.labels or not any(value is not None for series in spec.series for value in series.values):
        return format_html('<figure class="gi-chart gi-chart-empty"><figcaption>{}</figcaption><p>{}</p></figure>',
                           title, summary)
    element_id = f"gi-chart-{next(_ids)}"
    return format_html(
        '<figure class="gi-chart"><figcaption>{}</figcaption><div class="gi-chart-box">'
        '<canvas data-gi-chart="{}" role="img" aria-label="{}"></canvas></div>{}'
        '<p class="gi-chart-summary">{}</p></figure>',
        title, element_id, summary, json_script(asdict(spec), element_id), summary,
    )
