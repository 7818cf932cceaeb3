"""Time-split evaluation of the commit-risk models. Commit records come from any iterator (a
git clone or the ingestion tables), oldest first; labels come from a supplied file or from our
own SZZ over the fix commits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from analysis.core.bugfix import FixDetector
from analysis.core.kamei import features_in_time_order
from analysis.core.labels import DEFAULT_MATURITY_DAYS, labels_from_links
from analysis.core.metrics import classification_metrics, link_agreement
from analysis.core.records import CommitRecord
from analysis.core.szz import SzzConfig, szz_links
from analysis.core.training import kamei_lr_train, lapredict_train, model_matrix, xgboost_train


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


def _split(rows, labels: Mapping[str, int | None], *, start: int | None, end: int):
    chosen = [
        (record, features, labels[record.sha])
        for record, features in rows
        if labels.get(record.sha) is not None
        and (start is None or record.timestamp > start)
        and record.timestamp <= end
    ]
    if not chosen:
        raise EvaluationError(f"no labelled commits between {start} and {end}")
    X = model_matrix([features for _, features, _ in chosen])
    y = np.array([label for _, _, label in chosen], dtype=int)
    effort = np.array([record.lines_added + record.lines_deleted for record, _, _ in chosen], dtype=float)
    return X, y, effort


def risk_evaluate(commits: Iterable[CommitRecord], request: EvaluationRequest) -> dict[str, object]:
    records = list(commits)
    if not records:
        raise EvaluationError("no commits to evaluate")
    fix_set = set(request.fix_shas) if request.fix_shas is not None else None
    detector = FixDetector(fix_shas=fix_set)
    rows = list(features_in_time_order(records, is_fix=detector))

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

    X_train, y_train, _ = _split(rows, labels, start=None, end=request.train_until)
    X_test, y_test, effort_test = _split(rows, labels, start=request.train_until, end=request.test_until)
    models = {
        "xgboost": xgboost_train(X_train, y_train).predict_proba,
        "lapredict": lapredict_train(X_train, y_train),
        "kamei_lr": kamei_lr_train(X_train, y_train),
    }
    for name, predict in models.items():
        scores = predict(X_test)
        result[name] = classification_metrics(y_test, scores, effort_test) | {
            "n_train": len(y_train),
            "n_test": len(y_test),
        }
    return result
