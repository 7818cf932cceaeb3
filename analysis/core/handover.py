"""Which model a repository should use once it has labelled history of its own: its own
(local), the global one recalibrated on its labels, or a blend of both, whichever ranks the
repository's latest labelled commits (its time-ordered holdout) best. The choice comes with a
sentence saying why. Plain numpy; no Django."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.metrics import f1_score, matthews_corrcoef

from analysis.core.calibration import expected_calibration_error, logistic_fit, platt_fit
from analysis.core.metrics import MetricsError, classification_metrics
from analysis.core.scorers import BlendScorer, BlendWeights, GlobalScorer, LocalScorer, RiskScorer
from analysis.core.training import TrainingError, calibration_cut, early_margins, model_matrix, xgboost_train

#: how the algorithms are named to a person
ALGORITHM_NAMES = {
    "xgboost": "this repository's own model",
    "global": "the global model",
    "blend": "the blend of this repository's own model and the global model",
}


@dataclass(frozen=True)
class Examples:
    """Labelled commits of one repository in time order: stored features, labels, and the
    share of each commit's bugs its label could show (see calibration.py)."""

    features: Sequence[Mapping[str, float]]
    labels: np.ndarray
    found_share: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    def part(self, start: int, end: int | None = None) -> Examples:
        return Examples(self.features[start:end], self.labels[start:end], self.found_share[start:end])

    @property
    def effort(self) -> np.ndarray:
        return np.array([row["la"] + row["ld"] for row in self.features], dtype=float)


@dataclass(frozen=True)
class Flagging:
    """Which commits the product flags (medium or high risk): a probability at or above
    `threshold`, or a standing above `percentile` of the repository's commits."""

    threshold: float = 0.4
    percentile: float = 0.7

    def flagged(self, probabilities: np.ndarray) -> np.ndarray:
        ranks = np.argsort(np.argsort(probabilities, kind="stable"), kind="stable")
        standing = ranks / max(len(probabilities) - 1, 1)
        return (probabilities >= self.threshold) | (standing >= self.percentile)


def holdout_metrics(scorer: RiskScorer, holdout: Examples, flagging: Flagging = Flagging()) -> dict[str, float]:
    """The version's measures on the holdout: ranking and effort as in risk_evaluate, ECE on
    what its labels could show, and F1 and MCC of the commits the product would flag."""
    probabilities = scorer.predict_proba(holdout.features)
    try:
        metrics = classification_metrics(holdout.labels, probabilities, holdout.effort)
    except MetricsError:
        metrics = {"auc": float("nan")}
    flagged = flagging.flagged(probabilities).astype(int)
    return metrics | {
        "ece": expected_calibration_error(holdout.labels, probabilities * holdout.found_share),
        "f1": float(f1_score(holdout.labels, flagged, zero_division=0)),
        "mcc": float(matthews_corrcoef(holdout.labels, flagged)) if len(set(holdout.labels.tolist())) == 2 else 0.0,
        "flagged_share": float(flagged.mean()) if len(flagged) else 0.0,
    }


#: the global model is recalibrated on a repository's latest labelled commits: the latest tenth,
#: at least this many (at most half). A repository's rate of bugs drifts over the years, so a
#: long history calibrates the next years worse than its recent commits do, and a Platt fit on a
#: few dozen commits is noisy. On the six projects' leave-one-project-out scores (16 time splits
#: of 2014-2016, each with histories of 200, 400, 600, 1,000 commits and all of them), mean ECE
#: of the next three years: 0.094 without recalibrating, 0.078 with the whole history, 0.079
#: with the latest tenth and at least 30 commits, 0.074 with at least 300, 0.073 with at least
#: 500, 0.075 with at least 1,000 (log-loss ranks them alike)
RECALIBRATION_MIN_ROWS = 500


def global_recalibrated(global_scorer: GlobalScorer, train: Examples) -> GlobalScorer:
    """The global model with probabilities fitted to this repository's latest labelled commits
    (see RECALIBRATION_MIN_ROWS; it never saw them, so its scores of them are honest)."""
    late = train.part(calibration_cut(len(train), min_rows=RECALIBRATION_MIN_ROWS))
    if len(set(late.labels.tolist())) < 2:
        return global_scorer
    calibrator = platt_fit(global_scorer.margins(late.features), late.labels, found_share=late.found_share)
    return global_scorer.with_calibrator(calibrator)


def blend_train(local: LocalScorer, global_scorer: GlobalScorer, train: Examples) -> BlendScorer | None:
    """Weights of the local and global scores fitted on the latest part of the training commits,
    where the local scores come from a model trained on the part before it."""
    margins = early_margins(model_matrix(train.features), train.labels.astype(float))
    if margins is None:
        return None
    late = train.part(calibration_cut(len(train)))
    inputs = np.column_stack([margins, global_scorer.margins(late.features)])
    weights, intercept = logistic_fit(inputs, late.labels, found_share=late.found_share)
    return BlendScorer(local=local, global_=global_scorer,
                       weights=BlendWeights(local=float(weights[0]), global_=float(weights[1]), intercept=intercept))


@dataclass
class Candidate:
    scorer: RiskScorer
    metrics: dict[str, float]

    @property
    def auc(self) -> float:
        value = self.metrics.get("auc", float("nan"))
        return -1.0 if np.isnan(value) else value


@dataclass
class HandoverChoice:
    chosen: Candidate
    candidates: dict[str, Candidate] = field(default_factory=dict)
    reason: str = ""


def handover_choose(
    global_scorer: GlobalScorer, examples: Examples, *, cut: int, flagging: Flagging = Flagging()
) -> HandoverChoice:
    """Train the local model and the blend on the commits before `cut`, recalibrate the global
    model on them, and keep whichever ranks the commits from `cut` on best (AUC; on a tie the
    simpler: global, then local, then blend)."""
    train, holdout = examples.part(0, cut), examples.part(cut)
    candidates: dict[str, Candidate] = {}
    global_ = global_recalibrated(global_scorer, train)
    candidates["global"] = Candidate(global_, holdout_metrics(global_, holdout, flagging))
    try:
        local = LocalScorer(xgboost_train(model_matrix(train.features), train.labels, found_share=train.found_share))
    except TrainingError:
        local = None
    if local is not None:
        candidates["xgboost"] = Candidate(local, holdout_metrics(local, holdout, flagging))
        blend = blend_train(local, global_, train)
        if blend is not None:
            candidates["blend"] = Candidate(blend, holdout_metrics(blend, holdout, flagging))
    best = max(candidates, key=lambda name: candidates[name].auc)  # dicts keep order: ties go to the first
    return HandoverChoice(chosen=candidates[best], candidates=candidates,
                          reason=handover_reason(best, candidates, n_holdout=len(holdout)))


def handover_reason(best: str, candidates: Mapping[str, Candidate], *, n_holdout: int) -> str:
    others = [f"{candidates[name].auc:.2f} for {ALGORITHM_NAMES[name]}" for name in candidates if name != best]
    text = (f"Chosen because {ALGORITHM_NAMES[best]} ranked this repository's latest {n_holdout} labelled commits "
            f"best (AUC {candidates[best].auc:.2f}")
    return text + (f", against {' and '.join(others)})." if others else ").")


def global_reason(global_scorer: GlobalScorer, *, labelled: int, needed: int) -> str:
    projects = global_scorer.model.projects
    mean_auc = global_scorer.model.leave_one_out.get("mean", 0.0)
    return (f"This repository has {labelled} labelled commits, fewer than the {needed} a model of its own needs, "
            f"so the global model scores its commits: it learned from {len(projects)} other "
            f"project{'s' if len(projects) != 1 else ''} "
            f"({', '.join(projects)}), and trained on all but one of them it ranked the one left out with AUC "
            f"{mean_auc:.2f} on average.")
