"""Model versions. A repository without enough labelled commits of its own uses the global
model; once it has them, training compares its own model, the global model recalibrated on its
labels and a blend of both on its time-ordered holdout, and the best is promoted only when it
beats the active version on that same holdout. Each version says which it is and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from analysis.core.calibration import SECONDS_PER_YEAR, DiscoveryCurve
from analysis.core.global_model import global_model_bytes, global_model_load
from analysis.core.handover import Examples, Flagging, global_reason, handover_choose, holdout_metrics
from analysis.core.kamei import FEATURE_VERSION
from analysis.core.scorers import GlobalScorer, scorer_from_bytes
from analysis.models import ModelVersion, TrainingExample
from analysis.selectors.config import risk_config
from analysis.selectors.risk import model_version_active, training_examples_for
from gitinsight.services.audit import audit_record
from ingestion.models import Repository


@dataclass(frozen=True)
class TrainingOutcome:
    model_version: ModelVersion
    promoted: bool
    active_auc_on_holdout: float | None


def _next_version(repository: Repository) -> int:
    return (ModelVersion.objects.filter(repository=repository).aggregate(v=Max("version"))["v"] or 0) + 1


def global_model_activate(*, repository_id: int, labelled: int = 0) -> ModelVersion:
    """The repository's active version; when it has none, a version of the shipped global
    model is created and promoted, so its commits are scored from the first one ingested."""
    active = model_version_active(repository_id=repository_id)
    if active is not None:
        return active
    repository = Repository.objects.get(pk=repository_id)
    scorer = GlobalScorer(global_model_load())
    reason = global_reason(scorer, labelled=labelled, needed=risk_config(repository.settings).min_training_examples)
    with transaction.atomic():
        list(ModelVersion.objects.select_for_update().filter(repository=repository))
        active = model_version_active(repository_id=repository_id)
        if active is not None:  # another task got here first
            return active
        created = ModelVersion.objects.create(
            repository=repository,
            version=_next_version(repository),
            algorithm="global",
            feature_version=FEATURE_VERSION,
            n_train=sum(project.labelled for project in scorer.model.trained_on),
            metrics={"global_version": scorer.model.version,
                     "leave_one_project_out_auc": scorer.model.leave_one_out},
            selection_reason=reason,
            model_bytes=global_model_bytes(),
        )
        return model_promote(model_version=created, by=None, reason="the repository had no model yet")


def _examples(examples: list[TrainingExample], discovery: DiscoveryCurve, now: datetime) -> Examples:
    labelled_at = np.array([(e.labelled_at or now).timestamp() for e in examples])
    authored = np.array([(e.commit.authored_at or e.commit.committed_at).timestamp() for e in examples])
    return Examples(
        features=[example.feature_vector for example in examples],
        labels=np.array([example.label for example in examples], dtype=int),
        # A label is as of when it was computed: a commit that was young then has had only
        # part of its bugs found.
        found_share=discovery.found_share((labelled_at - authored) / SECONDS_PER_YEAR),
    )


def model_train(*, repository_id: int) -> TrainingOutcome:
    """With fewer labelled examples than `min_training_examples` (or a training part or
    holdout without both risky and clean commits), make sure the global model is active.
    Otherwise choose between the repository's own model, the recalibrated global model and
    their blend on the latest `holdout_share` of the labelled examples, and promote the choice
    when it beats the active version there."""
    repository = Repository.objects.get(pk=repository_id)
    config = risk_config(repository.settings)
    examples: list[TrainingExample] = list(
        training_examples_for(repository_id=repository_id, feature_version=FEATURE_VERSION).filter(label__isnull=False)
    )
    cut = int(len(examples) * (1.0 - config.holdout_share))
    labels = [example.label for example in examples]
    if len(examples) < config.min_training_examples or len(set(labels[:cut])) < 2 or len(set(labels[cut:])) < 2:
        had = model_version_active(repository_id=repository_id)
        version = global_model_activate(repository_id=repository_id, labelled=len(examples))
        return TrainingOutcome(model_version=version, promoted=had is None, active_auc_on_holdout=None)

    global_scorer = GlobalScorer(global_model_load())
    data = _examples(examples, global_scorer.model.discovery, timezone.now())
    flagging = Flagging(threshold=config.medium_threshold, percentile=config.medium_percentile)
    choice = handover_choose(global_scorer, data, cut=cut, flagging=flagging)
    holdout = data.part(cut)
    active = model_version_active(repository_id=repository_id)
    active_auc = None
    if active is not None:
        active_scorer = scorer_from_bytes(active.algorithm, bytes(active.model_bytes))
        active_auc = holdout_metrics(active_scorer, holdout, flagging)["auc"]
    metrics = dict(choice.chosen.metrics)
    beats = active is None or active_auc is None or np.isnan(active_auc) or metrics["auc"] > active_auc
    if active is None:
        verdict = "It is the repository's first model, so it is active."
    elif beats:
        verdict = (f"It beat the active version {active.version} on the same commits (AUC {active_auc:.2f}), "
                   "so it is active.")
    else:
        verdict = (f"The active version {active.version} did as well or better on the same commits "
                   f"(AUC {active_auc:.2f}), so it stays active.")
    metrics |= {
        "active_auc_on_holdout": active_auc,
        "candidates": {name: {key: candidate.metrics.get(key) for key in ("auc", "recall_at_20_effort", "ece", "f1")}
                       for name, candidate in choice.candidates.items()},
    }
    with transaction.atomic():
        created = ModelVersion.objects.create(
            repository=repository,
            version=_next_version(repository),
            algorithm=choice.chosen.scorer.algorithm,
            feature_version=FEATURE_VERSION,
            train_from=examples[0].commit.authored_at,
            train_until=examples[cut - 1].commit.authored_at,
            holdout_from=examples[cut].commit.authored_at,
            holdout_until=examples[-1].commit.authored_at,
            n_train=cut,
            n_holdout=len(examples) - cut,
            metrics=metrics,
            selection_reason=f"{choice.reason} {verdict}",
            model_bytes=choice.chosen.scorer.to_bytes(),
        )
    if beats:
        model_promote(model_version=created, by=None, reason="beats the active version on the holdout")
        created.refresh_from_db()
    return TrainingOutcome(model_version=created, promoted=beats, active_auc_on_holdout=active_auc)


def model_promote(*, model_version: ModelVersion, by: AbstractBaseUser | None, reason: str) -> ModelVersion:
    """Make `model_version` the repository's active model (a maintainer's promotion from the
    admin, or the automatic one after training). Audited either way."""
    with transaction.atomic():
        list(ModelVersion.objects.select_for_update().filter(repository_id=model_version.repository_id))
        previous = ModelVersion.objects.filter(repository_id=model_version.repository_id, is_active=True).first()
        ModelVersion.objects.filter(repository_id=model_version.repository_id, is_active=True).update(is_active=False)
        ModelVersion.objects.filter(pk=model_version.pk).update(is_active=True, promoted_at=timezone.now())
        audit_record(
            user=by,
            action="risk_model.promote",
            resource_type="analysis.ModelVersion",
            resource_id=model_version.pk,
            details={
                "repository_id": model_version.repository_id,
                "version": model_version.version,
                "previous_version": previous.version if previous else None,
                "reason": reason,
            },
        )
    model_version.refresh_from_db()
    return model_version
