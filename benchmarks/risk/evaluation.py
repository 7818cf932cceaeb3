"""Time-split evaluation of the commit-risk models. Commit records come from any iterator (a
git clone or the ingestion tables), oldest first; labels come from a supplied file or from our
own SZZ over the fix commits.

Every model's block has the ranking and effort measures, `ece` (10 bins) of its probabilities
against what the labels could show on their date (see calibration.py), `ece_raw` against the
labels as they are, `ece_if_calibrated` (the median and 90th percentile of the ECE a perfectly
calibrated model would show on the same test commits, its labels drawn from its own
probabilities) with `ece_p_value` (the share of those at least `ece`), and
`lines_added_rank_correlation`: Spearman's correlation of its scores with the lines added, i.e.
how much of its ranking lines added alone reproduces. The `global` block is the shipped global
model as it is, which never saw a commit of the repository (a repository it was trained on is
refused); `global_recalibrated` is the same model with its probabilities fitted to the
repository's latest training commits, as a repository with that history gets it (`n_train`
counts the commits the fit used); `blend` weighs it with the within-project xgboost."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import spearmanr

from analysis.core.bugfix import FixDetector
from analysis.core.calibration import NO_CENSORING, ages_at, ece_consistency, expected_calibration_error
from analysis.core.global_model import GlobalRiskModel
from analysis.core.handover import RECALIBRATION_MIN_ROWS, Examples, blend_train, global_recalibrated
from analysis.core.labels import DEFAULT_MATURITY_DAYS, labels_from_links
from analysis.core.metrics import classification_metrics, link_agreement
from analysis.core.records import CommitRecord
from analysis.core.relative import features_with_percentiles_in_time_order
from analysis.core.scorers import GlobalScorer, LocalScorer
from analysis.core.szz import SzzConfig, szz_links
from analysis.core.training import (
    calibration_cut,
    kamei_lr_train,
    lapredict_train,
    model_matrix,
    xgboost_train,
)


class EvaluationError(ValueError):
    pass


@dataclass(frozen=True)
class EvaluationRequest:
    """Times are Unix seconds; a commit is in training when authored at or before
    `train_until`, in test when after it and at or before `test_until`."""

    train_until: int
    test_until: int
    labels: Mapping[str, int] | None = None
    fix_shas: tuple[str, ...] | None = None
    clone_path: str | None = None
    reference_links: set[tuple[str, str]] | None = None
    maturity_days: int = DEFAULT_MATURITY_DAYS
    szz_config: SzzConfig = field(default_factory=SzzConfig)
    #: the global model to report beside the others (its discovery curve is used for every ECE)
    global_model: GlobalRiskModel | None = None
    #: the date (Unix seconds) the labels were taken, when known: ApacheJIT's are as of the end
    #: of its year 2019; without it, the latest labelled commit stands for it
    labels_as_of: int | None = None


@dataclass(frozen=True)
class _Part:
    features: list[dict[str, float]]
    X: np.ndarray
    y: np.ndarray
    effort: np.ndarray
    timestamps: np.ndarray


def _split(rows, labels: Mapping[str, int | None], *, start: int | None, end: int) -> _Part:
    chosen = [
        (record, features, labels[record.sha])
        for record, features in rows
        if labels.get(record.sha) is not None
        and (start is None or record.timestamp > start)
        and record.timestamp <= end
    ]
    if not chosen:
        raise EvaluationError(f"no labelled commits between {start} and {end}")
    features = [features for _, features, _ in chosen]
    return _Part(
        features=features,
        X=model_matrix(features),
        y=np.array([label for _, _, label in chosen], dtype=int),
        effort=np.array([record.lines_added + record.lines_deleted for record, _, _ in chosen], dtype=float),
        timestamps=np.array([record.timestamp for record, _, _ in chosen], dtype=float),
    )


def _block(test: _Part, scores: np.ndarray, found_share: np.ndarray, n_train: int) -> dict[str, object]:
    la = np.array([row["la"] for row in test.features])
    observable = scores * found_share  # what the labels could show on their date
    ece = expected_calibration_error(test.y, observable)
    consistency = ece_consistency(observable, ece)
    return classification_metrics(test.y, scores, test.effort) | {
        "ece": ece,
        "ece_if_calibrated": {"median": round(consistency.median, 4), "p90": round(consistency.p90, 4)},
        "ece_p_value": round(consistency.p_value, 3),
        "ece_raw": expected_calibration_error(test.y, scores),
        "lines_added_rank_correlation": float(spearmanr(scores, la).statistic),
        "n_train": n_train,
        "n_test": len(test.y),
    }


def _trained_on(records: list[CommitRecord], model: GlobalRiskModel) -> list[str]:
    roots = {record.sha for record in records if not record.parents}
    return [project.project for project in model.trained_on if roots & set(project.root_commits)]


def risk_evaluate(commits: Iterable[CommitRecord], request: EvaluationRequest) -> dict[str, object]:
    records = list(commits)
    if not records:
        raise EvaluationError("no commits to evaluate")
    fix_set = set(request.fix_shas) if request.fix_shas is not None else None
    detector = FixDetector(fix_shas=fix_set)
    rows = list(features_with_percentiles_in_time_order(records, is_fix=detector))

    result: dict[str, object] = {}
    labels: Mapping[str, int | None]
    if request.labels is not None:
        labels = request.labels
        known = {record.sha for record in records}
        result["labels_not_in_history"] = sum(1 for sha in labels if sha not in known)
    else:
        if request.clone_path is None:
            raise EvaluationError("SZZ labels need the path of a git clone")
        fixes = [record.sha for record in records if detector(record)]
        links = list(szz_links(request.clone_path, fixes, config=request.szz_config))
        labels = labels_from_links(
            records, links, as_of=max(record.timestamp for record in records), maturity_days=request.maturity_days
        )
        result["szz_fixes"] = len(fixes)
        result["szz_links"] = len({(link.fix_sha, link.inducing_sha) for link in links})
        if request.reference_links is not None:
            fixes_seen = set(fixes)
            reference = {pair for pair in request.reference_links if pair[0] in fixes_seen}
            agreement = link_agreement({(link.fix_sha, link.inducing_sha) for link in links}, reference)
            result["szz_link_precision"] = agreement.precision
            result["szz_link_recall"] = agreement.recall

    train = _split(rows, labels, start=None, end=request.train_until)
    test = _split(rows, labels, start=request.train_until, end=request.test_until)
    # Our SZZ labels are as of the latest commit; a label file's date is not written in it, so
    # unless given, its latest labelled commit stands for it. Younger commits have had less
    # time to be blamed.
    as_of = request.labels_as_of or max(
        record.timestamp for record in records if request.labels is None or labels.get(record.sha) is not None
    )
    discovery = request.global_model.discovery if request.global_model is not None else NO_CENSORING
    train_share = discovery.found_share(ages_at(train.timestamps, as_of))
    test_share = discovery.found_share(ages_at(test.timestamps, as_of))
    result["labels_as_of"] = as_of

    local = xgboost_train(train.X, train.y, found_share=train_share)
    models = {
        "xgboost": local.predict_proba,
        "lapredict": lapredict_train(train.X, train.y),
        "kamei_lr": kamei_lr_train(train.X, train.y),
    }
    for name, predict in models.items():
        result[name] = _block(test, predict(test.X), test_share, len(train.y))
    if request.global_model is not None:
        seen = _trained_on(records, request.global_model)
        if seen:
            result["global"] = {"not_evaluated": f"the global model was trained on this repository ({seen[0]})"}
        else:
            global_ = GlobalScorer(request.global_model)
            result["global"] = _block(test, global_.predict_proba(test.features), test_share, 0) | {
                "version": request.global_model.version
            }
            examples = Examples(train.features, train.y, train_share)
            recalibrated = global_recalibrated(global_, examples)
            result["global_recalibrated"] = _block(
                test, recalibrated.predict_proba(test.features), test_share,
                len(train.y) - calibration_cut(len(train.y), min_rows=RECALIBRATION_MIN_ROWS),
            ) | {"version": request.global_model.version}
            blend = blend_train(LocalScorer(local), global_, examples)
            if blend is not None:
                result["blend"] = _block(test, blend.predict_proba(test.features), test_share, len(train.y))
    return result
