"""Knowledge concentration: per directory, who made the changes and the bus factor (the
fewest authors who together made more than half of them)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from analysis.core.insights.history import ChangeRecord


@dataclass(frozen=True)
class Ownership:
    directory: str
    lines: int
    bus_factor: int
    top_authors: tuple[tuple[str, float], ...]  # (author, share of lines changed)


def directory_of(path: str, depth: int) -> str:
    parts = path.split("/")[:-1]
    return "/".join(parts[:depth]) or "."


def ownership(records: Iterable[ChangeRecord], *, depth: int = 2, min_lines: int = 50) -> list[Ownership]:
    lines: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for record in records:
        for path, changed in record.files:
            lines[directory_of(path, depth)][record.author] += changed
    result = []
    for directory, by_author in lines.items():
        total = sum(by_author.values())
        if total < min_lines:
            continue
        shares = sorted(((author, n / total) for author, n in by_author.items()), key=lambda item: -item[1])
        covered, bus_factor = 0.0, 0
        for _author, share in shares:
            covered += share
            bus_factor += 1
            if covered > 0.5:
                break
        result.append(Ownership(directory, total, bus_factor,
                                tuple((author, round(share, 3)) for author, share in shares[:3])))
    result.sort(key=lambda item: (item.bus_factor, -item.lines))
    return result
