"""Small server-side SVG charts (line and bar), so that admin pages draw charts with no
JavaScript library and no CDN. Pure functions: data in, SVG markup out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#417690", "#e67e22", "#27ae60", "#c0392b", "#8e44ad", "#7f8c8d")


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[float, float]]  # (x, y); x is usually days or a timestamp
    dashed: bool = False
    color: str | None = None


@dataclass(frozen=True)
class Frame:
    width: int = 640
    height: int = 260
    left: int = 48
    right: int = 12
    top: int = 24
    bottom: int = 36


def _bounds(values: Sequence[float], *, include_zero: bool) -> tuple[float, float]:
    low, high = min(values), max(values)
    if include_zero:
        low = min(low, 0.0)
    if high == low:
        high = low + 1.0
    return low, high


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    step = (high - low) / (count - 1)
    return [low + step * i for i in range(count)]


def _format(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 10 or value == int(value) else f"{value:.2f}"


def line_chart(
    series: Sequence[Series],
    *,
    title: str = "",
    x_format=_format,
    y_format=_format,
    frame: Frame = Frame(),
    markers: Sequence[tuple[float, str]] = (),
) -> str:
    """A line chart of `series`; `markers` are vertical lines at x with a label (e.g. a due date)."""
    points = [point for item in series for point in item.points]
    if not points:
        return _empty(title, frame)
    xs = [x for x, _ in points] + [x for x, _ in markers]
    x_low, x_high = _bounds(xs, include_zero=False)
    y_low, y_high = _bounds([y for _, y in points], include_zero=True)
    plot_w = frame.width - frame.left - frame.right
    plot_h = frame.height - frame.top - frame.bottom

    def sx(x: float) -> float:
        return frame.left + (x - x_low) / (x_high - x_low) * plot_w

    def sy(y: float) -> float:
        return frame.top + plot_h - (y - y_low) / (y_high - y_low) * plot_h

    parts = [_open(title, frame)]
    parts += _axes(frame, [(sy(v), y_format(v)) for v in _ticks(y_low, y_high)], [
        (sx(v), x_format(v)) for v in _ticks(x_low, x_high)
    ])
    for x, label in markers:
        # Labels near the right edge are drawn to the left of their line so they stay visible.
        at_right = sx(x) > frame.width - frame.right - 60
        text_x, anchor = (sx(x) - 3, "end") if at_right else (sx(x) + 3, "start")
        parts.append(
            f'<line x1="{sx(x):.1f}" y1="{frame.top}" x2="{sx(x):.1f}" y2="{frame.top + plot_h}" '
            f'stroke="#c0392b" stroke-dasharray="4 3"/>'
            f'<text x="{text_x:.1f}" y="{frame.top + 10}" font-size="10" fill="#c0392b" '
            f'text-anchor="{anchor}">{escape(label)}</text>'
        )
    for index, item in enumerate(series):
        color = item.color or PALETTE[index % len(PALETTE)]
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in item.points)
        dash = ' stroke-dasharray="6 4"' if item.dashed else ""
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2"{dash} points="{path}"/>')
    parts.append(_legend(series, frame))
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    bars: Sequence[tuple[str, float]], *, title: str = "", frame: Frame = Frame(), color: str = PALETTE[0]
) -> str:
    """Vertical bars, e.g. a histogram of forecast completion dates or risk scores."""
    if not bars:
        return _empty(title, frame)
    y_low, y_high = _bounds([value for _, value in bars], include_zero=True)
    plot_w = frame.width - frame.left - frame.right
    plot_h = frame.height - frame.top - frame.bottom
    slot = plot_w / len(bars)
    parts = [_open(title, frame)]
    y_ticks = [
        (frame.top + plot_h - (v - y_low) / (y_high - y_low) * plot_h, _format(v)) for v in _ticks(y_low, y_high)
    ]
    label_every = max(1, len(bars) // 8)
    x_ticks = [(frame.left + slot * (i + 0.5), label) for i, (label, _) in enumerate(bars) if i % label_every == 0]
    parts += _axes(frame, y_ticks, x_ticks)
    for i, (label, value) in enumerate(bars):
        height = (value - y_low) / (y_high - y_low) * plot_h
        parts.append(
            f'<rect x="{frame.left + slot * i + 1:.1f}" y="{frame.top + plot_h - height:.1f}" '
            f'width="{max(slot - 2, 1):.1f}" height="{height:.1f}" fill="{color}">'
            f"<title>{escape(label)}: {_format(value)}</title></rect>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _open(title: str, frame: Frame) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width} {frame.height}" '
        f'width="{frame.width}" height="{frame.height}" role="img" aria-label="{escape(title)}" '
        f'font-family="sans-serif"><title>{escape(title)}</title>'
        f'<text x="{frame.left}" y="14" font-size="12" font-weight="bold">{escape(title)}</text>'
    )


def _axes(frame: Frame, y_ticks: list[tuple[float, str]], x_ticks: list[tuple[float, str]]) -> list[str]:
    bottom = frame.height - frame.bottom
    parts = [
        f'<line x1="{frame.left}" y1="{frame.top}" x2="{frame.left}" y2="{bottom}" stroke="#999"/>',
        f'<line x1="{frame.left}" y1="{bottom}" x2="{frame.width - frame.right}" y2="{bottom}" stroke="#999"/>',
    ]
    for y, label in y_ticks:
        parts.append(
            f'<line x1="{frame.left}" y1="{y:.1f}" x2="{frame.width - frame.right}" y2="{y:.1f}" stroke="#eee"/>'
            f'<text x="{frame.left - 4}" y="{y + 3:.1f}" font-size="10" text-anchor="end">{escape(label)}</text>'
        )
    for x, label in x_ticks:
        parts.append(f'<text x="{x:.1f}" y="{bottom + 14}" font-size="10" text-anchor="middle">{escape(label)}</text>')
    return parts


def _legend(series: Sequence[Series], frame: Frame) -> str:
    parts = []
    x = frame.left
    y = frame.height - 6
    for index, item in enumerate(series):
        color = item.color or PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{x}" y="{y - 8}" width="10" height="4" fill="{color}"/>'
            f'<text x="{x + 14}" y="{y - 3}" font-size="10">{escape(item.label)}</text>'
        )
        x += 20 + 7 * len(item.label)
    return "".join(parts)


def _empty(title: str, frame: Frame) -> str:
    return (
        _open(title, frame)
        + f'<text x="{frame.width / 2}" y="{frame.height / 2}" font-size="12" text-anchor="middle" fill="#999">'
        "No data yet</text></svg>"
    )
