"""Threshold tuning from maintainer feedback: how precise each category is on labelled
pairs, and the loosest SAME_CHANGE code threshold that keeps the wanted precision."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from triage.duplicates.core.scoring import SAME_CHANGE, categorize


@dataclass(frozen=True)
class LabelledPair:
    scores: dict[str, float]
    final_score: float
    #: the maintainer said this pair is the same change (DUPLICATE)
    duplicate: bool


def same_change_precision(pairs: Iterable[LabelledPair], config: dict[str, Any]) -> tuple[float | None, int]:
    """(precision, verdicts) of SAME_CHANGE under `config` on the labelled pairs."""
    verdicts = [pair for pair in pairs if categorize(pair.scores, pair.final_score, config) == SAME_CHANGE]
    if not verdicts:
        return None, 0
    return sum(pair.duplicate for pair in verdicts) / len(verdicts), len(verdicts)


def tune_same_change(
    pairs: list[LabelledPair], config: dict[str, Any], *, target: float = 0.99
) -> dict[str, Any]:
    """Try code-Jaccard thresholds from loose to strict; keep the loosest meeting `target`."""
    current, current_n = same_change_precision(pairs, config)
    result: dict[str, Any] = {"labelled_pairs": len(pairs), "current_threshold":
                              config["same_change"]["code_jaccard"], "current_precision": current,
                              "current_verdicts": current_n, "suggested_threshold": None}
    for step in range(50, 100):
        threshold = step / 100
        trial = {**config, "same_change": {**config["same_change"], "code_jaccard": threshold}}
        precision, verdicts = same_change_precision(pairs, trial)
        if precision is not None and precision >= target:
            result.update(suggested_threshold=threshold, suggested_precision=precision, suggested_verdicts=verdicts)
            break
    return result
