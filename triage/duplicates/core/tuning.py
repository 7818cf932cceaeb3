"""Maintainer feedback moving a repository's thresholds.

Every confirmed or rejected verdict is a labelled pair: the signals of the two heads and whether
the maintainer said they are the same change. From a repository's labelled pairs come

- a recalibration of the same-change model (Platt scaling of its log-odds, pulled towards the
  global model so that a handful of labels moves it only a little), and
- the lowest same-change probability at which the repository's past verdicts were still right
  at the target precision (never below the global threshold: feedback makes verdicts stricter
  where maintainers rejected them, and looser only through the calibration).

`tune_from_feedback` returns the moved configuration together with what it would have done to
every past verdict, so that a maintainer sees the effect before it is applied.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from triage.duplicates.core.calibration import fit_calibration, log_odds, same_change_probability
from triage.duplicates.core.scoring import SAME_CHANGE, categorize

#: thresholds tried, loosest first
_GRID = tuple(round(0.5 + step / 100, 2) for step in range(50))


@dataclass(frozen=True)
class LabelledPair:
    scores: dict[str, float]
    final_score: float
    #: the maintainer said this pair is the same change (DUPLICATE)
    duplicate: bool


def judged(pair: LabelledPair, config: dict[str, Any]) -> str:
    """The category `config` gives the pair (its probability recomputed under the config's model
    and calibration)."""
    values = dict(pair.scores)
    if "same_change_model" in config:
        values["same_change_probability"] = same_change_probability(
            values, config["same_change_model"], config.get("calibration"))
    return categorize(values, pair.final_score, config)


def same_change_precision(pairs: Iterable[LabelledPair], config: dict[str, Any]) -> tuple[float | None, int]:
    """(precision, verdicts) of SAME_CHANGE under `config` on the labelled pairs."""
    verdicts = [pair for pair in pairs if judged(pair, config) == SAME_CHANGE]
    if not verdicts:
        return None, 0
    return sum(pair.duplicate for pair in verdicts) / len(verdicts), len(verdicts)


@dataclass
class Tuning:
    labelled_pairs: int
    config: dict[str, Any]
    before: dict[str, Any]
    after: dict[str, Any]
    #: past verdicts that the change would turn: (index in the labelled pairs, before, after, duplicate)
    changed: list[tuple[int, str, str, bool]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "labelled_pairs": self.labelled_pairs, "before": self.before, "after": self.after,
            "verdicts_changed": len(self.changed),
            "rejected_same_change_removed": sum(1 for _, b, a, dup in self.changed
                                                if b == SAME_CHANGE and a != SAME_CHANGE and not dup),
            "confirmed_same_change_lost": sum(1 for _, b, a, dup in self.changed
                                              if b == SAME_CHANGE and a != SAME_CHANGE and dup),
            "new_same_change_confirmed": sum(1 for _, b, a, dup in self.changed
                                             if b != SAME_CHANGE and a == SAME_CHANGE and dup),
            "new_same_change_rejected": sum(1 for _, b, a, dup in self.changed
                                            if b != SAME_CHANGE and a == SAME_CHANGE and not dup),
        }


def _state(pairs: Sequence[LabelledPair], config: dict[str, Any]) -> dict[str, Any]:
    precision, verdicts = same_change_precision(pairs, config)
    same_change = config.get("same_change", {})
    return {"min_probability": same_change.get("min_probability"), "calibration": config.get("calibration"),
            "same_change_precision": round(precision, 4) if precision is not None else None,
            "same_change_verdicts": verdicts}


def tune_from_feedback(
    pairs: Sequence[LabelledPair], config: dict[str, Any], *, target: float = 0.99, strength: float = 10.0,
    floor: float | None = None,
) -> Tuning:
    """The repository configuration the labelled pairs move `config` to (see the module's doc).
    `floor` is the lowest threshold allowed (the global one by default)."""
    moved = copy.deepcopy(config)
    if "same_change_model" not in config or not pairs:
        return Tuning(len(pairs), moved, _state(pairs, config), _state(pairs, config))
    model = config["same_change_model"]
    calibration = fit_calibration([log_odds(pair.scores, model) for pair in pairs],
                                  [pair.duplicate for pair in pairs], strength=strength)
    moved["calibration"] = {"a": calibration["a"], "b": calibration["b"]}
    lowest = config["same_change"]["min_probability"] if floor is None else floor
    for threshold in (t for t in _GRID if t >= lowest):
        moved["same_change"] = {**config["same_change"], "min_probability": threshold}
        precision, _ = same_change_precision(pairs, moved)
        if precision is None or precision >= target:
            break
    changed = []
    for index, pair in enumerate(pairs):
        before, after = judged(pair, config), judged(pair, moved)
        if before != after:
            changed.append((index, before, after, pair.duplicate))
    return Tuning(len(pairs), moved, _state(pairs, config), _state(pairs, moved), changed)
