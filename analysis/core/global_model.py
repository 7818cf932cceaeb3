"""The global commit-risk model: one XGBoost model learned from the labelled commits of several
Apache projects, on features that mean the same thing in any repository (percentiles within
the repository for size, experience, age and ownership; scale-free Kamei features as they
are), so a repository gets calibrated risks from its first ingested commit.

It is shipped as a small file (`GLOBAL_MODEL_PATH`) that `risk_train_global` rebuilds from the
fetched repositories; the file records what it was trained on (projects, their root commits,
its leave-one-project-out AUCs) and the discovery curve its calibration used. Plain numpy and
xgboost; no Django."""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import xgboost as xgb

from analysis.core.calibration import DiscoveryCurve, PlattCalibrator
from analysis.core.relative import RELATIVE_NAMES

#: the shipped file: analysis/artefacts/, beside the app's code rather than inside core/
GLOBAL_MODEL_PATH = Path(__file__).resolve().parents[1] / "artefacts" / "global_risk_model.json.gz"
GLOBAL_FORMAT = 1
#: what the model reads: percentiles within the repository, then the scale-free features
GLOBAL_FEATURE_NAMES: tuple[str, ...] = (
    *RELATIVE_NAMES, "fix", "entropy", "la_per_lt", "ld_per_lt", "new_to_subsystem", "new_author",
)
GLOBAL_PARAMS: dict[str, object] = {
    "objective": "binary:logistic",
    "eval_metric": "auc",
    "tree_method": "hist",
    "max_depth": 4,
    "eta": 0.05,
    "min_child_weight": 20,
    # Subsampling with a fixed seed and one thread is still deterministic: rebuilding the
    # model from the same commits gives the same file.
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "nthread": 1,
    "seed": 7,
}
GLOBAL_ROUNDS = 150


class GlobalModelError(ValueError):
    pass


def global_matrix(features: Sequence[Mapping[str, float]]) -> np.ndarray:
    """One row per commit from its stored features (Kamei's 14 and their percentiles)."""
    rows = np.empty((len(features), len(GLOBAL_FEATURE_NAMES)), dtype=float)
    for i, row in enumerate(features):
        lt = max(row["lt"], 1.0)
        rows[i, : len(RELATIVE_NAMES)] = [row[name] for name in RELATIVE_NAMES]
        rows[i, len(RELATIVE_NAMES):] = [
            row["fix"], row["entropy"], row["la"] / lt, row["ld"] / lt,
            1.0 if row["sexp"] == 0 else 0.0, 1.0 if row["exp"] == 0 else 0.0,
        ]
    return rows


@dataclass(frozen=True)
class TrainedOn:
    """One project of the training data."""

    project: str
    repository: str
    branch: str
    root_commits: tuple[str, ...]
    labelled: int
    bug_inducing: int

    def to_json(self) -> dict[str, Any]:
        return {"project": self.project, "repository": self.repository, "branch": self.branch,
                "root_commits": list(self.root_commits), "labelled": self.labelled,
                "bug_inducing": self.bug_inducing}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TrainedOn:
        return cls(project=data["project"], repository=data["repository"], branch=data["branch"],
                   root_commits=tuple(data["root_commits"]), labelled=int(data["labelled"]),
                   bug_inducing=int(data["bug_inducing"]))


@dataclass
class GlobalRiskModel:
    booster: xgb.Booster
    calibrator: PlattCalibrator
    discovery: DiscoveryCurve
    version: str
    trained_on: tuple[TrainedOn, ...] = ()
    #: leave-one-project-out AUC per project, and their mean
    leave_one_out: dict[str, float] = field(default_factory=dict)

    @property
    def projects(self) -> list[str]:
        return [project.project for project in self.trained_on]

    def to_bytes(self) -> bytes:
        payload = {
            "format": GLOBAL_FORMAT,
            "version": self.version,
            "features": list(GLOBAL_FEATURE_NAMES),
            "params": GLOBAL_PARAMS,
            "rounds": GLOBAL_ROUNDS,
            "trained_on": [project.to_json() for project in self.trained_on],
            "leave_one_out": self.leave_one_out,
            "calibrator": {"slope": self.calibrator.slope, "intercept": self.calibrator.intercept},
            "discovery": self.discovery.to_json(),
            # UBJSON is xgboost's compact binary form; base64 keeps the file one JSON document.
            "booster": base64.b64encode(bytes(self.booster.save_raw("ubj"))).decode("ascii"),
        }
        # mtime=0: the same model always gives the same bytes.
        return gzip.compress(json.dumps(payload, sort_keys=True, indent=1).encode(), mtime=0)

    @classmethod
    def from_bytes(cls, data: bytes) -> GlobalRiskModel:
        try:
            payload = json.loads(gzip.decompress(data))
        except (OSError, ValueError) as exc:
            raise GlobalModelError(f"not a global risk model file: {exc}") from exc
        if payload.get("format") != GLOBAL_FORMAT or payload.get("features") != list(GLOBAL_FEATURE_NAMES):
            raise GlobalModelError("the global model file was made for another feature set; rebuild it with "
                                   "risk_train_global")
        booster = xgb.Booster(params={"nthread": 1})
        booster.load_model(bytearray(base64.b64decode(payload["booster"])))
        return cls(
            booster=booster,
            calibrator=PlattCalibrator(**payload["calibrator"]),
            discovery=DiscoveryCurve.from_json(payload["discovery"]),
            version=payload["version"],
            trained_on=tuple(TrainedOn.from_json(item) for item in payload["trained_on"]),
            leave_one_out={key: float(value) for key, value in payload["leave_one_out"].items()},
        )


def global_model_bytes(path: Path = GLOBAL_MODEL_PATH) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise GlobalModelError(f"{path} is missing; rebuild it with risk_train_global") from exc


@lru_cache(maxsize=4)
def global_model_load(path: Path = GLOBAL_MODEL_PATH) -> GlobalRiskModel:
    """The shipped global model (read once per process)."""
    return GlobalRiskModel.from_bytes(global_model_bytes(path))


def global_fit(
    X: np.ndarray, y: np.ndarray, weights: np.ndarray, *, rounds: int = GLOBAL_ROUNDS
) -> xgb.Booster:
    data = xgb.DMatrix(X, label=y, weight=weights, feature_names=list(GLOBAL_FEATURE_NAMES), nthread=1)
    booster = xgb.train(GLOBAL_PARAMS, data, num_boost_round=rounds)
    booster.set_param({"nthread": 1})
    return booster
