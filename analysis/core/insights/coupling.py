"""Change coupling: pairs of files that change together (support = commits touching both,
confidence = support / changes of the less frequently changed file)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from analysis.core.insights.history import ChangeRecord

# Large commits (renames, reformatting, vendoring) couple everything with everything.
MAX_FILES_PER_COMMIT = 30


@dataclass(frozen=True)
class Coupling:
    first: str
    second: str
    support: int
    confidence: float
    example_shas: tuple[str, ...]


def change_coupling(records: Iterable[ChangeRecord], *, min_support: int = 3, limit: int = 20) -> list[Coupling]:
    changes: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], list[str]] = {}
    for record in records:
        paths = sorted({path for path, _ in record.files})
        changes.update(paths)
        if len(paths) > MAX_FILES_PER_COMMIT:
            continue
        for pair in combinations(paths, 2):
            pairs[pair] += 1
            examples.setdefault(pair, []).append(record.sha)
    result = [
        Coupling(first, second, support, round(support / min(changes[first], changes[second]), 3),
                 tuple(examples[(first, second)][-3:]))
        for (first, second), support in pairs.items()
        if support >= min_support
    ]
    result.sort(key=lambda item: (-item.confidence, -item.support, item.first, item.second))
    return result[:limit]
