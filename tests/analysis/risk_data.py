"""Synthetic stored feature vectors (Kamei's 14 and their percentiles) for the model tests."""

from __future__ import annotations

import numpy as np

from analysis.core.calibration import NO_CENSORING, PlattCalibrator
from analysis.core.global_model import GlobalRiskModel, TrainedOn, global_fit, global_matrix
from benchmarks.risk.timing import synthetic_features, with_percentiles


def stored_features(n: int, *, seed: int = 7) -> tuple[list[dict[str, float]], np.ndarray]:
    rows, labels = synthetic_features(n, seed=seed)
    return with_percentiles(rows), labels


def small_global_model(*, seed: int = 11, roots: tuple[str, ...] = ("0" * 40,)) -> GlobalRiskModel:
    """A global model trained on synthetic commits of one made-up project."""
    rows, labels = stored_features(3_000, seed=seed)
    booster = global_fit(global_matrix(rows), labels, np.ones(len(labels)), rounds=30)
    return GlobalRiskModel(
        booster=booster, calibrator=PlattCalibrator(), discovery=NO_CENSORING, version="global-test",
        trained_on=(TrainedOn(project="synthetic", repository="example/synthetic", branch="main",
                              root_commits=roots, labelled=len(labels), bug_inducing=int(labels.sum())),),
        leave_one_out={"synthetic": 0.7, "mean": 0.7},
    )
