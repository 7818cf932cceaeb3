"""How likely a scored pair is the same change: a logistic model over the pairwise signals, a
per-repository recalibration of it (Platt scaling fitted on the repository's own confirmed and
rejected verdicts), and the reliability table that shows whether the numbers mean what they say.

The model's coefficients are data: they live in the configuration (`same_change_model`), fitted
by `triage_fit` on the development repositories and stored with a config_version like
every threshold. A repository's `calibration` ({"a", "b"}) maps the model's log-odds `z` to
`a * z + b`; with no feedback it is the identity.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

#: the signals the model reads, each transformed to a number (see `feature_vector`)
FEATURES = (
    "code_jaccard", "prod_jaccard", "tests_jaccard", "docs_jaccard", "containment_min", "containment_max",
    "paths", "prod_paths", "symbols", "tests", "title", "references", "production_equal", "canonical_equal",
    "log_min_shingles", "size_ratio", "prod_share",
)
#: neither bound is ever reached exactly: a probability of 1 would be a promise no history keeps
_EPSILON = 1e-4


def feature_vector(values: dict[str, float]) -> list[float]:
    """The model's inputs from `scoring.signals` values (missing signals count as 0)."""
    a_in_b, b_in_a = values.get("containment_a_in_b", 0.0), values.get("containment_b_in_a", 0.0)
    smaller, larger = values.get("min_shingles", 0.0), values.get("max_shingles", 0.0)
    derived = {
        "containment_min": min(a_in_b, b_in_a),
        "containment_max": max(a_in_b, b_in_a),
        "log_min_shingles": math.log1p(smaller) / math.log(1000.0),
        "size_ratio": smaller / larger if larger else 0.0,
    }
    return [float(derived[name] if name in derived else values.get(name, 0.0)) for name in FEATURES]


def _sigmoid(z: float) -> float:
    z = max(-40.0, min(40.0, z))
    return 1.0 / (1.0 + math.exp(-z))


def log_odds(values: dict[str, float], model: dict[str, Any]) -> float:
    """The model's log-odds that the pair is the same change."""
    weights = model["coefficients"]
    return float(model["intercept"]) + sum(
        float(weights.get(name, 0.0)) * x for name, x in zip(FEATURES, feature_vector(values), strict=True)
    )


def same_change_probability(
    values: dict[str, float], model: dict[str, Any], calibration: dict[str, float] | None = None
) -> float:
    """P(same change) under the model, recalibrated for the repository when `calibration` is given."""
    z = log_odds(values, model)
    if calibration:
        z = float(calibration.get("a", 1.0)) * z + float(calibration.get("b", 0.0))
    return min(1.0 - _EPSILON, max(_EPSILON, _sigmoid(z)))


def fit_logistic(
    x: np.ndarray, y: np.ndarray, *, l2: float | np.ndarray = 1.0, weights: np.ndarray | None = None,
    prior: np.ndarray | None = None, iterations: int = 50,
) -> np.ndarray:
    """Coefficients (intercept first) of an L2-regularised logistic regression by damped Newton
    steps; the penalty (one number, or one per coefficient) pulls towards `prior` (zeros by
    default, and then the intercept is not penalised)."""
    design = np.hstack([np.ones((len(x), 1)), x])
    beta = np.zeros(design.shape[1]) if prior is None else prior.astype(float).copy()
    target = np.zeros(design.shape[1]) if prior is None else prior.astype(float)
    sample_weights = np.ones(len(x)) if weights is None else weights
    penalty = np.broadcast_to(np.asarray(l2, dtype=float), (design.shape[1],)).copy()
    if prior is None:
        penalty[0] = 0.0

    def loss(b: np.ndarray) -> float:
        z = design @ b
        # log(1 + e^z) - y z, computed without overflow
        fit = np.sum(sample_weights * (np.logaddexp(0.0, z) - y * z))
        return float(fit + 0.5 * np.sum(penalty * (b - target) ** 2))

    current = loss(beta)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ beta, -40, 40)))
        gradient = design.T @ (sample_weights * (p - y)) + penalty * (beta - target)
        hessian = (design * (sample_weights * p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        # Newton overshoots where the curve is flat: halve the step until the loss falls
        scale = 1.0
        while scale > 1e-6 and loss(beta - scale * step) > current:
            scale /= 2
        beta = beta - scale * step
        previous, current = current, loss(beta)
        if previous - current < 1e-10:
            break
    return beta


def fit_calibration(
    log_odds_values: Sequence[float], outcomes: Sequence[bool], *, strength: float = 10.0
) -> dict[str, float]:
    """Platt scaling of the model's log-odds on one repository's labelled verdicts, pulled towards
    the identity (a=1, b=0) with `strength`: a few labels move it a little, many move it freely."""
    if not log_odds_values:
        return {"a": 1.0, "b": 0.0, "labels": 0}
    x = np.asarray(log_odds_values, dtype=float)[:, None]
    y = np.asarray(outcomes, dtype=float)
    # the slope is held harder than the shift: labels at one confidence say where the shift is,
    # not how the scale bends, and a slope near 0 or below would undo the model's ranking
    b, a = fit_logistic(x, y, l2=np.array([strength, 10 * strength]), prior=np.array([0.0, 1.0]))
    return {"a": round(float(min(max(a, 0.25), 4.0)), 4), "b": round(float(b), 4), "labels": len(x)}


@dataclass(frozen=True)
class ReliabilityBin:
    low: float
    high: float
    n: int
    mean_confidence: float | None
    share_right: float | None


def reliability_table(
    pairs: Iterable[tuple[float, bool]], *, edges: Sequence[float] = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0)
) -> list[ReliabilityBin]:
    """(confidence, right) pairs in bins: of the verdicts given about 0.9, how many were right."""
    bins: list[list[tuple[float, bool]]] = [[] for _ in range(len(edges) - 1)]
    for confidence, right in pairs:
        for k in range(len(edges) - 1):
            if confidence < edges[k + 1] or k == len(edges) - 2:
                bins[k].append((confidence, right))
                break
    table = []
    for k, members in enumerate(bins):
        n = len(members)
        table.append(ReliabilityBin(
            low=edges[k], high=edges[k + 1], n=n,
            mean_confidence=round(sum(c for c, _ in members) / n, 4) if n else None,
            share_right=round(sum(r for _, r in members) / n, 4) if n else None,
        ))
    return table


def expected_calibration_error(table: Sequence[ReliabilityBin]) -> float | None:
    """Mean |confidence - share right| weighted by the verdicts in each bin."""
    total = sum(row.n for row in table)
    if not total:
        return None
    return round(sum(row.n * abs(row.mean_confidence - row.share_right) for row in table if row.n) / total, 4)
