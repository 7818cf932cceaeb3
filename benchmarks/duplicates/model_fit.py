"""Fit the same-change model and choose its threshold on the tuning repositories only.

Training pairs are every candidate of every query's top-10 list (labelled by the lenient ground
truth: the same change or not) and the unrelated pairs sharing a file (never the same change).
The threshold is the lowest probability at which SAME_CHANGE is precise enough on every tuning
replay, by both readings, with a margin; the held-out repositories never take part.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from benchmarks.duplicates.evaluate import Query, run_queries, same_file_false_positive_rate
from benchmarks.duplicates.replay_run import Replay, precision_under
from triage.duplicates.core.calibration import FEATURES, feature_vector, fit_logistic

#: thresholds tried, loosest first
THRESHOLDS = tuple(round(0.5 + step / 200, 3) for step in range(100))


@dataclass
class TrainingSet:
    rows: list[list[float]] = field(default_factory=list)
    labels: list[bool] = field(default_factory=list)
    #: the queries of each replay, with their matches, for choosing the threshold
    queries: dict[str, list[Query]] = field(default_factory=dict)

    def add(self, values: dict[str, float], same: bool) -> None:
        self.rows.append(feature_vector(values))
        self.labels.append(same)


def collect(replays: Sequence[Replay], config: dict[str, Any], *, fp_sample: int = 4000) -> TrainingSet:
    training = TrainingSet()
    for replay in replays:
        queries, *_ = run_queries(replay.items, replay.queries, config=config, indexed=replay.truth.indexed)
        training.queries[f"{replay.name}{' +heads' if replay.pull_heads else ''}"] = queries
        for query in queries:
            for match in query.matches:
                training.add(match.score.scores, match.item_id in query.relevant)
        unrelated: list[dict[str, float]] = []
        same_file_false_positive_rate(replay.items, sample=fp_sample, config=config, linked=replay.truth.linked,
                                      indexed=replay.truth.indexed, collect=unrelated)
        for values in unrelated:
            training.add(values, False)
    return training


def fit_model(training: TrainingSet, *, l2: float = 1.0) -> dict[str, Any]:
    """Coefficients of the logistic model (by feature name) on the training pairs."""
    x = np.asarray(training.rows, dtype=float)
    y = np.asarray(training.labels, dtype=float)
    beta = fit_logistic(x, y, l2=l2)
    return {"intercept": round(float(beta[0]), 4),
            "coefficients": {name: round(float(value), 4) for name, value in zip(FEATURES, beta[1:], strict=True)},
            "training_pairs": len(y), "training_same_change": int(y.sum())}


def choose_threshold(
    training: TrainingSet, config: dict[str, Any], *, lenient: float = 0.99, strict: float = 0.97,
    margin: float = 0.005,
) -> tuple[float, dict[str, Any]]:
    """The lowest threshold meeting both precision targets plus `margin` on every tuning replay,
    and the precision each replay has there."""
    for threshold in THRESHOLDS:
        trial = copy.deepcopy(config)
        trial["same_change"]["min_probability"] = threshold
        figures = {name: precision_under(queries, trial) for name, queries in training.queries.items()}
        if all(f["same_change_precision"] is None or (
            f["same_change_precision"] >= lenient + margin and f["same_change_precision_strict"] >= strict + margin
        ) for f in figures.values()):
            return threshold, figures
    return THRESHOLDS[-1], figures
