"""Contributor activity and trends per month."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime

from analysis.core.insights.history import ChangeRecord


def month_of(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m")


def contributor_activity(records: Iterable[ChangeRecord]) -> list[dict]:
    """Per month: commits, active authors, authors seen for the first time."""
    commits: dict[str, int] = defaultdict(int)
    authors: dict[str, set[str]] = defaultdict(set)
    first_seen: dict[str, str] = {}
    for record in sorted(records, key=lambda item: item.timestamp):
        month = month_of(record.timestamp)
        commits[month] += 1
        authors[month].add(record.author)
        first_seen.setdefault(record.author, month)
    newcomers: dict[str, int] = defaultdict(int)
    for month in first_seen.values():
        newcomers[month] += 1
    return [
        {"month": month, "commits": commits[month], "authors": len(authors[month]), "new_authors": newcomers[month]}
        for month in sorted(commits)
    ]


def risk_trend(records: Iterable[ChangeRecord]) -> list[dict]:
    """Per month: mean predicted risk and share of bug-fix commits."""
    risks: dict[str, list[float]] = defaultdict(list)
    fixes: dict[str, list[bool]] = defaultdict(list)
    for record in records:
        month = month_of(record.timestamp)
        fixes[month].append(record.is_fix)
        if record.risk is not None:
            risks[month].append(record.risk)
    return [
        {
            "month": month,
            "mean_risk": round(sum(risks[month]) / len(risks[month]), 4) if risks[month] else None,
            "fix_share": round(sum(fixes[month]) / len(fixes[month]), 4),
            "commits": len(fixes[month]),
        }
        for month in sorted(fixes)
    ]
