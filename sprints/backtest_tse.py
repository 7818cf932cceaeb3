"""Backtest on the TSE 2018 sprint data: predict vel_diff (delivered minus committed velocity) of later
sprints from earlier ones, and classify sprints as under-achieved / achieved / over-achieved.

Evaluation is time-ordered with no look-ahead: per project and checkpoint, sprints are sorted by id,
the first `initial_share` (80 %) trains the models, and the rest is predicted in `blocks` consecutive
blocks (default one: a plain 80/20 time split), each block by models trained on every sprint before
it (expanding window). Board history features of a
sprint use only earlier sprints of the same board. Pure module: no Django import.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.metrics import precision_score, recall_score, roc_auc_score
from threadpoolctl import threadpool_limits

from sprints.tse_data import CHECKPOINTS, Sprint, load_sprints, project_dirs

CLASS_NAMES = ("under", "achieved", "over")


def vel_diff_class(vel_diff: np.ndarray) -> np.ndarray:
    """The paper's classes: below zero under-achieved (0), zero achieved (1), above zero over (2)."""
    return np.where(vel_diff < 0, 0, np.where(vel_diff > 0, 2, 1))


def _derived(features: dict[str, float]) -> dict[str, float]:
    committed = features["vel_starttime"]
    scope_now = committed + features["vel_added"] - features["vel_removed"]
    remaining = features["vel_todo"] + features["vel_inprogress"]
    return {
        "scope_now": scope_now,
        "net_added": features["vel_added"] - features["vel_removed"],
        "remaining": remaining,
        "done_minus_committed": features["vel_done"] - committed,
        "scope_minus_committed": scope_now - committed,
        "done_share": features["vel_done"] / scope_now if scope_now else 0.0,
        "remaining_share": remaining / scope_now if scope_now else 0.0,
        "velocity_per_member": committed / max(features["no_teammember"], 1.0),
    }


def _board_history(sprints: list[Sprint]) -> list[dict[str, float]]:
    """Per sprint, what its board delivered before it: mean, median, last vel_diff and the share of
    sprints that under-delivered. Sprints must be in time order."""
    past: dict[int, list[float]] = defaultdict(list)
    history: list[dict[str, float]] = []
    for sprint in sprints:
        values = past[sprint.board_id]
        if values:
            arr = np.asarray(values)
            history.append(
                {
                    "board_sprints": float(len(arr)),
                    "board_mean": float(arr.mean()),
                    "board_median": float(np.median(arr)),
                    "board_last": float(arr[-1]),
                    "board_under_share": float((arr < 0).mean()),
                    "board_zero_share": float((arr == 0).mean()),
                }
            )
        else:
            history.append({"board_sprints": 0.0})
        values.append(sprint.vel_diff)
    return history


def feature_matrix(sprints: list[Sprint]) -> tuple[np.ndarray, list[str]]:
    rows = [
        {**s.features, **_derived(s.features), **hist} for s, hist in zip(sprints, _board_history(sprints), strict=True)
    ]
    names = sorted({name for row in rows for name in row})
    # Missing board history is NaN so the trees learn "no history" rather than "history of zeros".
    matrix = np.array([[row.get(name, np.nan) for name in names] for row in rows], dtype=float)
    return matrix, names


@dataclass
class ProjectResult:
    project: str
    checkpoint: int
    n_train_initial: int
    y_true: np.ndarray
    y_pred: np.ndarray
    class_true: np.ndarray
    class_proba: np.ndarray


def _regressor(seed: int) -> HistGradientBoostingRegressor:
    # Absolute-error loss because the score is a mean absolute error on a heavy-tailed target.
    return HistGradientBoostingRegressor(loss="absolute_error", max_iter=300, learning_rate=0.05, random_state=seed)


def _classifier(seed: int) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, random_state=seed)


def _class_proba(model: HistGradientBoostingClassifier, x: np.ndarray) -> np.ndarray:
    """Probabilities for all three classes even when a training window lacked one of them."""
    proba = np.zeros((len(x), len(CLASS_NAMES)))
    proba[:, model.classes_] = model.predict_proba(x)
    return proba


def backtest_project(
    sprints: list[Sprint], checkpoint: int, *, initial_share: float = 0.8, blocks: int = 1, seed: int = 0
) -> ProjectResult:
    x, names = feature_matrix(sprints)
    y = np.array([s.vel_diff for s in sprints])
    # Work still open at the checkpoint is, negated, the vel_diff if nothing more gets done; the model
    # learns the correction to that naive outcome, which is far easier than vel_diff itself.
    naive = -x[:, names.index("remaining")]
    classes = vel_diff_class(y)
    start = int(len(sprints) * initial_share)
    if start < 20 or len(sprints) - start < blocks:
        raise ValueError(f"{sprints[0].project if sprints else '?'}: too few sprints ({len(sprints)}) to backtest")
    edges = np.linspace(start, len(sprints), blocks + 1).astype(int)
    preds: list[np.ndarray] = []
    probas: list[np.ndarray] = []
    # One thread per fit: on a shared machine OpenMP oversubscription makes the fits ~8x slower.
    with threadpool_limits(limits=1):
        for lo, hi in pairwise(edges):
            regressor = _regressor(seed).fit(x[:lo], y[:lo] - naive[:lo])
            preds.append(regressor.predict(x[lo:hi]) + naive[lo:hi])
            classifier = _classifier(seed).fit(x[:lo], classes[:lo])
            probas.append(_class_proba(classifier, x[lo:hi]))
    return ProjectResult(
        project=sprints[0].project,
        checkpoint=checkpoint,
        n_train_initial=start,
        y_true=y[start:],
        y_pred=np.concatenate(preds),
        class_true=classes[start:],
        class_proba=np.concatenate(probas),
    )


def nmae(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """MAE divided by the interquartile range of the true target (the paper's normalisation)."""
    q1, q3 = np.percentile(y_true, [25, 75])
    iqr = q3 - q1
    if iqr == 0:
        raise ValueError("interquartile range of the target is zero; NMAE is undefined")
    return float(np.mean(np.abs(y_true - y_pred)) / iqr)


def classification_scores(class_true: np.ndarray, class_proba: np.ndarray) -> dict[str, float]:
    """Macro precision and recall of the arg-max class, and macro one-vs-rest AUC over the classes
    present in the test set (AUC is undefined for a class with no positive example)."""
    predicted = class_proba.argmax(axis=1)
    labels = [c for c in range(len(CLASS_NAMES)) if (class_true == c).any()]
    aucs = [roc_auc_score(class_true == c, class_proba[:, c]) for c in labels if (class_true != c).any()]
    return {
        "precision": float(precision_score(class_true, predicted, labels=labels, average="macro", zero_division=0)),
        "recall": float(recall_score(class_true, predicted, labels=labels, average="macro", zero_division=0)),
        "auc": float(np.mean(aucs)) if aucs else float("nan"),
    }


def summarise(result: ProjectResult) -> dict[str, float | int | str]:
    return {
        "project": result.project,
        "checkpoint": result.checkpoint,
        "n_test": len(result.y_true),
        "nmae": round(nmae(result.y_true, result.y_pred), 3),
        "mae": round(float(np.mean(np.abs(result.y_true - result.y_pred))), 3),
        **{k: round(v, 3) for k, v in classification_scores(result.class_true, result.class_proba).items()},
    }


def run_tse_backtest(
    root: Path,
    *,
    checkpoints: tuple[int, ...] = CHECKPOINTS,
    progress: Callable[[str], None] | None = None,
) -> dict[str, object]:
    """Backtest every project folder under `root` at every checkpoint. Headline figures are means over
    projects and checkpoints; `by_checkpoint` averages over projects."""
    rows = []
    for project_dir in project_dirs(root):
        for checkpoint in checkpoints:
            if progress:
                progress(f"{project_dir.name} at {checkpoint} %")
            rows.append(summarise(backtest_project(load_sprints(project_dir, checkpoint), checkpoint)))
    by_checkpoint = {}
    for checkpoint in checkpoints:
        subset = [r for r in rows if r["checkpoint"] == checkpoint]
        by_checkpoint[str(checkpoint)] = {
            key: round(float(np.mean([r[key] for r in subset])), 3) for key in ("nmae", "precision", "recall", "auc")
        }
    headline = {key: round(float(np.mean([r[key] for r in rows])), 3) for key in ("nmae", "precision", "recall", "auc")}
    return {"benchmark": "tse2017", **headline, "by_checkpoint": by_checkpoint, "per_project": rows}
