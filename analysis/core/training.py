"""Commit-risk models on Kamei features: XGBoost (class imbalance through scale_pos_weight,
probabilities calibrated with Platt scaling fitted on the time-latest slice of the training
data) and two baselines, `lapredict` (lines added alone) and `kamei_lr` (logistic regression
on log-transformed features). Everything here is plain numpy/xgboost/scikit-learn."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import xgboost as xgb
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

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
CALIBRATION_SHARE = 0.2


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
class PlattCalibrator:
    slope: float = 1.0
    intercept: float = 0.0

    def apply(self, margins: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.slope * margins + self.intercept)))


@dataclass
class XGBoostRiskModel:
    booster: xgb.Booster
    calibrator: PlattCalibrator

    def _dmatrix(self, X: np.ndarray) -> xgb.DMatrix:
        return xgb.DMatrix(X, feature_names=list(MODEL_FEATURE_NAMES), nthread=1)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        margins = self.booster.inplace_predict(X, predict_type="margin")
        return self.calibrator.apply(np.asarray(margins, dtype=float))

    def contributions(self, X: np.ndarray, *, top: int = 5) -> list[list[dict[str, float]]]:
        """Per commit, the features that pushed the score most (SHAP values in log-odds)."""
        contribs = self.booster.predict(self._dmatrix(X), pred_contribs=True)
        evidence = []
        for row_values, row_contribs in zip(X, contribs, strict=True):
            ranked = np.argsort(-np.abs(row_contribs[:-1]))[:top]
            evidence.append([
                {
                    "feature": MODEL_FEATURE_NAMES[i],
                    "value": float(row_values[i]),
                    "contribution": float(row_contribs[i]),
                }
                for i in ranked
            ])
        return evidence

    def to_bytes(self) -> bytes:
        payload = {
            "booster": self.booster.save_raw("json").decode(),
            "calibrator": {"slope": self.calibrator.slope, "intercept": self.calibrator.intercept},
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


def xgboost_train(X: np.ndarray, y: np.ndarray, *, rounds: int = XGBOOST_ROUNDS) -> XGBoostRiskModel:
    """`X`, `y` must be in time order. The calibrator learns how margins of a model trained on
    the earlier 80% map to outcomes on the latest 20%; the final booster uses all rows."""
    y = np.asarray(y, dtype=float)
    _check_labels(y)
    cut = int(len(y) * (1.0 - CALIBRATION_SHARE))
    calibrator = PlattCalibrator()
    if 0 < cut < len(y) and len(set(y[:cut].tolist())) == 2 and len(set(y[cut:].tolist())) == 2:
        early = _fit_booster(X[:cut], y[:cut], rounds=rounds)
        margins = np.asarray(early.inplace_predict(X[cut:], predict_type="margin"), dtype=float)
        platt = LogisticRegression().fit(margins.reshape(-1, 1), y[cut:])
        calibrator = PlattCalibrator(slope=float(platt.coef_[0][0]), intercept=float(platt.intercept_[0]))
    return XGBoostRiskModel(booster=_fit_booster(X, y, rounds=rounds), calibrator=calibrator)


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
