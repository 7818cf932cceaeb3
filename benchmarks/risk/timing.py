"""Timing of training and single-commit prediction on synthetic Kamei features (heavy-tailed
sizes, a logistic relation to the label), so the numbers do not depend on a fetched repo.
A prediction is timed with its evidence and reasons, for the repository's own model, the
shipped global model and their blend."""

from __future__ import annotations

import time

import numpy as np

from analysis.core.global_model import global_model_load
from analysis.core.kamei import FEATURE_NAMES
from analysis.core.metrics import classification_metrics
from analysis.core.reasons import top_factors
from analysis.core.relative import RelativeState
from analysis.core.scorers import BlendScorer, BlendWeights, GlobalScorer, LocalScorer, RiskScorer
from analysis.core.training import model_matrix, xgboost_train


def synthetic_features(n: int, *, seed: int = 7) -> tuple[list[dict[str, float]], np.ndarray]:
    rng = np.random.default_rng(seed)
    nf = 1 + rng.geometric(0.35, n)
    columns = {
        "ns": np.minimum(nf, 1 + rng.poisson(0.3, n)),
        "nd": np.minimum(nf, 1 + rng.poisson(0.8, n)),
        "nf": nf,
        "entropy": np.where(nf > 1, rng.beta(2, 2, n), 0.0),
        "la": np.round(rng.lognormal(3.0, 1.5, n)),
        "ld": np.round(rng.lognormal(2.0, 1.5, n)),
        "lt": np.round(rng.lognormal(6.0, 1.2, n)) * nf,
        "fix": rng.random(n) < 0.3,
        "ndev": rng.poisson(4, n),
        "age": rng.exponential(60, n),
        "nuc": rng.poisson(10, n),
        "exp": rng.poisson(200, n),
        "rexp": rng.exponential(20, n),
        "sexp": rng.poisson(80, n),
    }
    logit = (0.6 * np.log1p(columns["la"]) + 0.3 * np.log1p(columns["nf"]) + 0.8 * columns["fix"]
             - 0.2 * np.log1p(columns["exp"]) - 2.5)
    labels = (rng.random(n) < 1.0 / (1.0 + np.exp(-logit))).astype(int)
    rows = [{name: float(columns[name][i]) for name in FEATURE_NAMES} for i in range(n)]
    return rows, labels


def with_percentiles(rows: list[dict[str, float]]) -> list[dict[str, float]]:
    """The rows as stored: each with its percentiles among the rows before it."""
    state, out = RelativeState(), []
    for row in rows:
        out.append(row | state.percentiles(row))
        state.observe(row)
    return out


def _predict_one_ms(scorer: RiskScorer, rows: list[dict[str, float]], *, predictions: int) -> float:
    """Milliseconds to score one commit with its factors and their sentences."""
    scorer.explain(rows[:1])
    started = time.perf_counter()
    for i in range(predictions):
        one = [rows[i % len(rows)]]
        _, factors = scorer.explain(one)
        top_factors(factors[0], one[0])
    return (time.perf_counter() - started) * 1000 / predictions


def risk_benchmark(n: int, *, predictions: int = 200) -> dict[str, float]:
    """Train on `n` synthetic commits, measure on `n // 4` later ones."""
    rows, y = synthetic_features(n + n // 4)
    X = model_matrix(rows)
    cut = n
    started = time.perf_counter()
    model = xgboost_train(X[:cut], y[:cut])
    train_seconds = time.perf_counter() - started
    metrics = classification_metrics(y[cut:], model.predict_proba(X[cut:]), X[cut:, 4] + X[cut:, 5])
    stored = with_percentiles(rows[cut:])
    started = time.perf_counter()
    global_ = GlobalScorer(global_model_load())
    load_ms = (time.perf_counter() - started) * 1000
    local = LocalScorer(model)
    blend = BlendScorer(local=local, global_=global_, weights=BlendWeights(local=0.5, global_=0.5, intercept=0.0))
    global_metrics = classification_metrics(y[cut:], global_.predict_proba(stored), X[cut:, 4] + X[cut:, 5])
    return {
        "n_commits": n,
        "n_train": cut,
        "train_seconds": round(train_seconds, 3),
        "predict_one_ms": round(_predict_one_ms(local, stored, predictions=predictions), 3),
        "global_load_ms": round(load_ms, 1),
        "global_predict_one_ms": round(_predict_one_ms(global_, stored, predictions=predictions), 3),
        "blend_predict_one_ms": round(_predict_one_ms(blend, stored, predictions=predictions), 3),
        "holdout_auc": round(metrics["auc"], 4),
        "global_holdout_auc": round(global_metrics["auc"], 4),
    }
