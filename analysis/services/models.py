"""Model versions: training on the labelled examples with a time-ordered holdout, promotion
only when the new version beats the active one on that same holdout."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from analysis.core.kamei import FEATURE_VERSION
from analysis.core.metrics import MetricsError, classification_metrics
from analysis.core.training import XGBoostRiskModel, model_matrix, xgboost_train
from analysis.models import ModelVersion, TrainingExample
from analysis.selectors.config import risk_config
from analysis.selectors.risk import model_version_active, training_examples_for
from gitinsight.services.audit import audit_record
from ingestion.models import Repository


class InsufficientTrainingData(ValueError):
    pass


@dataclass(frozen=True)
class TrainingOutcome:
    model_version: ModelVersion
    promoted: bool
    active_auc_on_holdout: float | None


def _holdout_metrics(model: XGBoostRiskModel, X: np.ndarray, y: np.ndarray, effort: np.ndarray) -> dict[str, float]:
    try:
        return classification_metrics(y, model.predict_proba(X), effort)
    except MetricsError:
        return {"auc": float("nan")}


def model_train(*, repository_id: int) -> TrainingOutcome:
    """Train a new version on the labelled examples (all but the latest `holdout_share`),
    measure it on the holdout, and promote it when it beats the active version there."""
    repository = Repository.objects.get(pk=repository_id)
    config = risk_config(repository.settings)
    examples: list[TrainingExample] = list(
        training_examples_for(repository_id=repository_id, feature_version=FEATURE_VERSION).filter(label__isnull=False)
    )
    if len(examples) < config.min_training_examples:
        raise InsufficientTrainingData(
            f"{repository.full_name}: {len(examples)} labelled examples, {config.min_training_examples} needed"
        )
    X = model_matrix([example.feature_vector for example in examples])
    y = np.array([example.label for example in examples], dtype=int)
    effort = np.array([e.feature_vector["la"] + e.feature_vector["ld"] for e in examples], dtype=float)
    cut = int(len(examples) * (1.0 - config.holdout_share))
    if len(set(y[:cut].tolist())) < 2 or len(set(y[cut:].tolist())) < 2:
        raise InsufficientTrainingData(
            f"{repository.full_name}: training and holdout both need risky and clean commits"
        )
    model = xgboost_train(X[:cut], y[:cut])
    metrics = _holdout_metrics(model, X[cut:], y[cut:], effort[cut:])
    active = model_version_active(repository_id=repository_id)
    active_auc = None
    if active is not None and active.feature_version == FEATURE_VERSION:
        active_model = XGBoostRiskModel.from_bytes(bytes(active.model_bytes))
        active_auc = _holdout_metrics(active_model, X[cut:], y[cut:], effort[cut:])["auc"]
    metrics["active_auc_on_holdout"] = active_auc
    with transaction.atomic():
        version = (ModelVersion.objects.filter(repository=repository).aggregate(v=Max("version"))["v"] or 0) + 1
        created = ModelVersion.objects.create(
            repository=repository,
            version=version,
            feature_version=FEATURE_VERSION,
            train_from=examples[0].commit.authored_at,
            train_until=examples[cut - 1].commit.authored_at,
            holdout_from=examples[cut].commit.authored_at,
            holdout_until=examples[-1].commit.authored_at,
            n_train=cut,
            n_holdout=len(examples) - cut,
            metrics=metrics,
            model_bytes=model.to_bytes(),
        )
    beats = active is None or active_auc is None or np.isnan(active_auc) or metrics["auc"] > active_auc
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
