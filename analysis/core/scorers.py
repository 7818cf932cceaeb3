"""The three kinds of commit-risk model a repository can use, behind one interface that takes
the stored feature vectors (Kamei's 14 and their percentiles within the repository):

- `local`: XGBoost trained on the repository's own labelled commits (algorithm "xgboost");
- `global`: the shipped global model, its probabilities recalibrated on the repository's own
  labels once it has some (algorithm "global");
- `blend`: both, their scores weighted by a calibration fitted on the repository's recent
  labelled commits (algorithm "blend").

Each gives calibrated probabilities and, per commit, how much each factor pushed the score
(SHAP values in log-odds, summed over the model inputs that describe the same factor, e.g. the
lines added and their percentile). Plain numpy/xgboost; no Django."""

from __future__ import annotations

import base64
import gzip
import json
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Protocol

import numpy as np
import xgboost as xgb

from analysis.core.calibration import PlattCalibrator
from analysis.core.global_model import GLOBAL_FEATURE_NAMES, GlobalRiskModel, global_matrix
from analysis.core.training import MODEL_FEATURE_NAMES, XGBoostRiskModel, model_matrix

Features = Sequence[Mapping[str, float]]

#: the Kamei factor each model input describes
FACTOR_OF: dict[str, str] = {name: name for name in MODEL_FEATURE_NAMES} | {
    name: name.removesuffix("_pct") for name in GLOBAL_FEATURE_NAMES if name.endswith("_pct")
} | {"fix": "fix", "entropy": "entropy", "la_per_lt": "la_per_lt", "ld_per_lt": "ld_per_lt",
     "new_to_subsystem": "sexp", "new_author": "exp"}


class RiskScorer(Protocol):
    algorithm: str

    def margins(self, features: Features) -> np.ndarray: ...

    def predict_proba(self, features: Features) -> np.ndarray: ...

    def factor_contributions(self, features: Features) -> list[dict[str, float]]: ...

    def explain(self, features: Features) -> tuple[np.ndarray, list[dict[str, float]]]: ...

    def to_bytes(self) -> bytes: ...


def _by_factor(names: Sequence[str], contributions: np.ndarray, weight: float = 1.0) -> list[dict[str, float]]:
    rows = []
    for row in contributions:
        factors: dict[str, float] = {}
        for name, value in zip(names, row, strict=True):
            factors[FACTOR_OF[name]] = factors.get(FACTOR_OF[name], 0.0) + weight * float(value)
        rows.append(factors)
    return rows


class _TreeScorer(ABC):
    """What the local and the global model share: boosted trees over their own inputs, then
    Platt scaling."""

    names: tuple[str, ...]

    @abstractmethod
    def booster(self) -> xgb.Booster:
        """The boosted trees."""

    @abstractmethod
    def calibrator(self) -> PlattCalibrator:
        """The Platt scaling fitted after the trees."""

    @abstractmethod
    def inputs(self, features: Features) -> np.ndarray:
        """The model matrix of `features`, in the order of `names`."""

    def margins(self, features: Features) -> np.ndarray:
        return np.asarray(self.booster().inplace_predict(self.inputs(features), predict_type="margin"), dtype=float)

    def predict_proba(self, features: Features) -> np.ndarray:
        return self.calibrator().apply(self.margins(features))

    def shap(self, features: Features) -> np.ndarray:
        """SHAP values in log-odds, one column per input and the bias last: a row sums to the margin."""
        data = xgb.DMatrix(self.inputs(features), feature_names=list(self.names), nthread=1)
        return np.asarray(self.booster().predict(data, pred_contribs=True))

    def factor_contributions(self, features: Features) -> list[dict[str, float]]:
        return self.explain(features)[1]

    def explain(self, features: Features) -> tuple[np.ndarray, list[dict[str, float]]]:
        """Probabilities and factor contributions from one pass over the trees."""
        shap = self.shap(features)
        calibrator = self.calibrator()
        return calibrator.apply(shap.sum(axis=1)), _by_factor(self.names, shap[:, :-1], calibrator.slope)


@dataclass
class LocalScorer(_TreeScorer):
    model: XGBoostRiskModel
    algorithm: str = "xgboost"
    names = MODEL_FEATURE_NAMES

    def booster(self) -> xgb.Booster:
        return self.model.booster

    def calibrator(self) -> PlattCalibrator:
        return self.model.calibrator

    def inputs(self, features: Features) -> np.ndarray:
        return model_matrix(features)

    def to_bytes(self) -> bytes:
        return self.model.to_bytes()


@dataclass
class GlobalScorer(_TreeScorer):
    model: GlobalRiskModel
    algorithm: str = "global"
    names = GLOBAL_FEATURE_NAMES

    def booster(self) -> xgb.Booster:
        return self.model.booster

    def calibrator(self) -> PlattCalibrator:
        return self.model.calibrator

    def inputs(self, features: Features) -> np.ndarray:
        return global_matrix(features)

    def with_calibrator(self, calibrator: PlattCalibrator) -> GlobalScorer:
        """The same model with probabilities fitted to one repository's labels."""
        model = GlobalRiskModel(booster=self.model.booster, calibrator=calibrator, discovery=self.model.discovery,
                                version=self.model.version, trained_on=self.model.trained_on,
                                leave_one_out=self.model.leave_one_out)
        return GlobalScorer(model=model)

    def to_bytes(self) -> bytes:
        return self.model.to_bytes()


@dataclass(frozen=True)
class BlendWeights:
    """p = sigmoid(local * local margin + global_ * global margin + intercept)."""

    local: float
    global_: float
    intercept: float


@dataclass
class BlendScorer:
    local: LocalScorer
    global_: GlobalScorer
    weights: BlendWeights
    algorithm: str = "blend"

    def margins(self, features: Features) -> np.ndarray:
        return (self.weights.local * self.local.margins(features)
                + self.weights.global_ * self.global_.margins(features) + self.weights.intercept)

    def predict_proba(self, features: Features) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.margins(features)))

    def factor_contributions(self, features: Features) -> list[dict[str, float]]:
        return self.explain(features)[1]

    def explain(self, features: Features) -> tuple[np.ndarray, list[dict[str, float]]]:
        # Margins are sums of SHAP values, so the blend's are the weighted sums of its parts'.
        local, global_ = self.local.shap(features), self.global_.shap(features)
        margins = (self.weights.local * local.sum(axis=1) + self.weights.global_ * global_.sum(axis=1)
                   + self.weights.intercept)
        factors = [
            {name: a.get(name, 0.0) + b.get(name, 0.0) for name in a.keys() | b.keys()}
            for a, b in zip(_by_factor(self.local.names, local[:, :-1], self.weights.local),
                            _by_factor(self.global_.names, global_[:, :-1], self.weights.global_), strict=True)
        ]
        return 1.0 / (1.0 + np.exp(-margins)), factors

    def to_bytes(self) -> bytes:
        payload = {
            "weights": asdict(self.weights),
            "local": base64.b64encode(self.local.to_bytes()).decode("ascii"),
            "global": base64.b64encode(self.global_.to_bytes()).decode("ascii"),
        }
        return gzip.compress(json.dumps(payload, sort_keys=True).encode(), mtime=0)

    @classmethod
    def from_bytes(cls, data: bytes) -> BlendScorer:
        payload = json.loads(gzip.decompress(data))
        return cls(
            local=LocalScorer(XGBoostRiskModel.from_bytes(base64.b64decode(payload["local"]))),
            global_=GlobalScorer(GlobalRiskModel.from_bytes(base64.b64decode(payload["global"]))),
            weights=BlendWeights(**payload["weights"]),
        )


def scorer_from_bytes(algorithm: str, data: bytes) -> RiskScorer:
    """The model of a stored version, from its algorithm and bytes."""
    if algorithm == "global":
        return GlobalScorer(GlobalRiskModel.from_bytes(data))
    if algorithm == "blend":
        return BlendScorer.from_bytes(data)
    return LocalScorer(XGBoostRiskModel.from_bytes(data))
