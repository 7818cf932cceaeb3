"""Hotspots: files ranked by churn x bug-fix density x risk (Tornhill's hotspots with the
fix history and the risk model's view added)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from analysis.core.insights.history import ChangeRecord


@dataclass(frozen=True)
class Hotspot:
    path: str
    changes: int
    churn: int
    fixes: int
    fix_density: float  # share of the file's changes that were bug fixes
    mean_risk: float | None
    score: float
    fix_shas: tuple[str, ...]  # evidence: the most recent fixes that touched the file


def hotspots(records: Iterable[ChangeRecord], *, limit: int = 20, min_changes: int = 3) -> list[Hotspot]:
    changes: dict[str, int] = defaultdict(int)
    churn: dict[str, int] = defaultdict(int)
    fixes: dict[str, list[str]] = defaultdict(list)
    risks: dict[str, list[float]] = defaultdict(list)
    for record in records:
        for path, lines in record.files:
            changes[path] += 1
            churn[path] += lines
            if record.is_fix:
                fixes[path].append(record.sha)
            if record.risk is not None:
                risks[path].append(record.risk)
    ranked = []
    for path, count in changes.items():
        if count < min_changes:
            continue
        density = len(fixes[path]) / count
        mean_risk = sum(risks[path]) / len(risks[path]) if risks[path] else None
        # log churn keeps one generated file from dwarfing everything; +0.1 keeps files with
        # no recorded fix (or no score yet) comparable instead of zeroing them.
        score = math.log1p(churn[path]) * (density + 0.1) * ((mean_risk if mean_risk is not None else 0.5) + 0.1)
        ranked.append(Hotspot(path, count, churn[path], len(fixes[path]), round(density, 3),
                              None if mean_risk is None else round(mean_risk, 3), round(score, 4),
                              tuple(fixes[path][-5:])))
    ranked.sort(key=lambda item: (-item.score, item.path))
    return ranked[:limit]
