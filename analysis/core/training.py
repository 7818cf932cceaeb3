"""Commit-risk models on Kamei features: XGBoost (class imbalance through scale_pos_weight,
probabilities calibrated with Platt scaling fitted on the time-latest slice of the training
data) and two baselines, `lapredict` (lines added alone) and `kamei_lr` (logistic regression
on log-transformed features). Everything here is plain numpy/xgboost/scikit-learn."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import xgboost as xgb
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from analysis.core.calibration import PlattCalibrator, platt_fit
from analysis.core.kamei import FEATURE_NAMES

#: Kamei 2013's relative churn, derived from the raw features for the models
DERIVED_NAMES: tuple[str, ...] = ("la_per_lt", "ld_per_lt", "lt_per_nf")
MODEL_FEATURE_NAMES: tuple[str, ...] = FEATURE_NAMES + DERIVED_NAMES
XGBOOST_PARAMS: dict[str, object] = {
    "objective": "binary:logistic",
    "eval_metric": "auc",
    "tree_method": "hist",
    "max_depth": 3,
    "eta": 0.05,
    # No row or column subsampling: training is deterministic, so retraining on the same
    # examples gives the same model and promotion compares like with like.
    "subsample": 1.0,
    "colsample_bytree": 1.0,
    "min_child_weight": 2,
    # One thread: on a shared two-core machine OpenMP threads spin against other work; with a
    # single thread 100k commits train in about a second of CPU, with two in about ten.
    "nthread": 1,
    "seed": 7,
}
XGBOOST_ROUNDS = 200
#: the calibrator learns from the latest tenth of the training commits (at least 30, at most
#: half): across six Apache projects a recent tenth calibrated the next three years better than
#: a larger, older slice (mean ECE 0.070 against 0.086 for a fifth). A larger minimum (500
#: commits) calibrated small histories of those projects better (the latest 400 to 2,000
#: commits before 16 time splits: mean ECE 0.077 against 0.083) but not a repository whose rate
#: of bugs falls fast: on ZooKeeper's training years, validated on their latest 20-30 %, its
#: log-loss was 0.441 against 0.405 with at least 30.
CALIBRATION_SHARE = 0.1
MIN_CALIBRATION_ROWS = 30


class TrainingError(ValueError):
    pass


def model_matrix(features: Sequence[dict[str, float]]) -> np.ndarray:
    """One row per commit: the 14 raw features, then LA/LT, LD/LT and LT/NF."""
    raw = np.array([[row[name] for name in FEATURE_NAMES] for row in features], dtype=float).reshape(
        len(features), len(FEATURE_NAMES)
    )
    la, ld, lt, nf = (raw[:, FEATURE_NAMES.index(name)] for name in ("la", "ld", "lt", "nf"))
    lt_safe = np.maximum(lt, 1.0)
    derived = np.column_stack([la / lt_safe, ld / lt_safe, lt / np.maximum(nf, 1.0)])
    return np.hstack([raw, derived])


def _check_labels(y: np.ndarray) -> None:
    if len(set(y.tolist())) < 2:
        raise TrainingError("training needs both risky and clean commits")


@dataclass
class XGBoostRiskModel:
    booster: xgb.Booster
    calibrator: PlattCalibrator

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        margins = self.booster.inplace_predict(X, predict_type="margin")
        return self.calibrator.apply(np.asarray(margins, dtype=float))

    def to_bytes(self) -> bytes:
        payload = {
            "booster": self.booster.save_raw("json").decode(),
            "calibrator": asdict(self.calibrator),
            "features": list(MODEL_FEATURE_NAMES),
        }
        return json.dumps(payload).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> XGBoostRiskModel:
        payload = json.loads(data)
        if payload.get("features") != list(MODEL_FEATURE_NAMES):
            raise TrainingError("stored model was trained on a different feature set")
        booster = xgb.Booster(params={"nthread": 1})
        booster.load_model(bytearray(payload["booster"].encode()))
        return cls(booster=booster, calibrator=PlattCalibrator(**payload["calibrator"]))


def _fit_booster(X: np.ndarray, y: np.ndarray, *, rounds: int) -> xgb.Booster:
    positives = float(y.sum())
    params = dict(XGBOOST_PARAMS, scale_pos_weight=(len(y) - positives) / max(positives, 1.0))
    data = xgb.DMatrix(X, label=y, feature_names=list(MODEL_FEATURE_NAMES))
    booster = xgb.train(params, data, num_boost_round=rounds)
    booster.set_param({"nthread": 1})
    return booster


def calibration_cut(n: int, *, min_rows: int = MIN_CALIBRATION_ROWS) -> int:
    """Rows before the cut train the early booster whose scores of the rest fit the calibrator:
    the latest tenth of `n` rows, at least `min_rows`, at most half."""
    return n - min(max(int(n * CALIBRATION_SHARE), min_rows), n // 2)


def xgboost_train(
    X: np.ndarray, y: np.ndarray, *, rounds: int = XGBOOST_ROUNDS, found_share: np.ndarray | None = None
) -> XGBoostRiskModel:
    """`X`, `y` must be in time order. The calibrator learns how margins of a model trained on
    the earlier rows map to outcomes on the latest (see `calibration_cut`); the final booster
    uses all rows.
    `found_share` (per row, see calibration.py) says how much of a commit's bugs its label
    could show; without it every label counts as final."""
    y = np.asarray(y, dtype=float)
    _check_labels(y)
    cut = calibration_cut(len(y))
    calibrator = PlattCalibrator()
    margins = early_margins(X, y, rounds=rounds)
    if margins is not None:
        calibrator = platt_fit(margins, y[cut:], found_share=None if found_share is None else found_share[cut:])
    return XGBoostRiskModel(booster=_fit_booster(X, y, rounds=rounds), calibrator=calibrator)


def early_margins(X: np.ndarray, y: np.ndarray, *, rounds: int = XGBOOST_ROUNDS) -> np.ndarray | None:
    """Margins of the rows after `calibration_cut`, from a booster trained on the rows before it
    (scores of commits that model never saw); None when either part lacks a class."""
    cut = calibration_cut(len(y))
    if not (0 < cut < len(y) and len(set(y[:cut].tolist())) == 2 and len(set(y[cut:].tolist())) == 2):
        return None
    early = _fit_booster(X[:cut], y[:cut], rounds=rounds)
    return np.asarray(early.inplace_predict(X[cut:], predict_type="margin"), dtype=float)


def lapredict_train(X: np.ndarray, y: np.ndarray):
    """LApredict (Zeng et al. 2021): logistic regression on lines added alone."""
    _check_labels(np.asarray(y))
    column = MODEL_FEATURE_NAMES.index("la")
    model = LogisticRegression(class_weight="balanced").fit(np.log1p(X[:, [column]]), y)
    return lambda rows: model.predict_proba(np.log1p(rows[:, [column]]))[:, 1]


def kamei_lr_train(X: np.ndarray, y: np.ndarray):
    """Kamei 2013's logistic regression: log1p of the features with relative churn instead of
    raw LA/LD/LT, ND and REXP left out for collinearity, balanced classes."""
    _check_labels(np.asarray(y))
    columns = [MODEL_FEATURE_NAMES.index(n) for n in MODEL_FEATURE_NAMES if n not in ("la", "ld", "lt", "nd", "rexp")]
    model = make_pipeline(StandardScaler(), LogisticRegression(class_weight="balanced", max_iter=1000))
    model.fit(np.log1p(np.maximum(X[:, columns], 0.0)), y)
    return lambda rows: model.predict_proba(np.log1p(np.maximum(rows[:, columns], 0.0)))[:, 1]
