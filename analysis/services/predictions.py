"""Predictions for commits and pull request heads, with the features that drove each score.
Rows are only ever added: one per (commit, model version) and (pull request, head, version)."""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache

import numpy as np
from django.db import transaction

from analysis.core.training import XGBoostRiskModel, model_matrix
from analysis.models import CommitRiskPrediction, ModelVersion, PullRequestRiskPrediction, TrainingExample
from analysis.selectors.config import risk_config
from analysis.selectors.risk import model_version_active
from analysis.services.examples import features_compute
from ingestion.models import Commit, PullRequest, PullRequestCommit


@lru_cache(maxsize=16)
def _loaded_model(model_version_id: int) -> XGBoostRiskModel:
    # Model versions are immutable, so a loaded booster can be reused by id.
    return XGBoostRiskModel.from_bytes(bytes(ModelVersion.objects.get(pk=model_version_id).model_bytes))


def commits_predict(*, repository_id: int, commit_ids: Collection[int]) -> int:
    """Score the commits with the repository's active model; returns predictions added.
    Without an active model there is nothing to score yet."""
    model_version = model_version_active(repository_id=repository_id)
    if model_version is None or not commit_ids:
        return 0
    done = set(
        CommitRiskPrediction.objects.filter(model_version=model_version, commit_id__in=commit_ids).values_list(
            "commit_id", flat=True
        )
    )
    # Merges carry no change of their own and have no training example.
    scorable = Commit.objects.filter(pk__in=commit_ids, repository_id=repository_id, is_merge=False)
    wanted = [commit_id for commit_id in scorable.values_list("id", flat=True) if commit_id not in done]
    if not wanted:
        return 0
    examples_of = TrainingExample.objects.filter(commit_id__in=wanted, feature_version=model_version.feature_version)
    if examples_of.count() < len(wanted):
        features_compute(repository_id=repository_id, only_missing=True)
    examples = list(examples_of.order_by("commit_id"))
    if not examples:
        return 0
    model = _loaded_model(model_version.pk)
    X = model_matrix([example.feature_vector for example in examples])
    probabilities = model.predict_proba(X)
    evidence = model.contributions(X)
    config = risk_config(model_version.repository.settings)
    rows = [
        CommitRiskPrediction(
            commit_id=example.commit_id,
            model_version=model_version,
            probability=float(probability),
            risk_level=config.risk_level(float(probability)),
            top_features=top,
        )
        for example, probability, top in zip(examples, probabilities, evidence, strict=True)
    ]
    return len(CommitRiskPrediction.objects.bulk_create(rows, ignore_conflicts=True))


def pull_request_predict(*, pull_request_id: int, head_sha: str) -> PullRequestRiskPrediction | None:
    """Risk of the pull request at `head_sha` from its ingested commits; None when none of its
    commits is ingested yet or the repository has no active model."""
    pull_request = PullRequest.objects.select_related("repository").get(pk=pull_request_id)
    model_version = model_version_active(repository_id=pull_request.repository_id)
    if model_version is None:
        return None
    commit_ids = list(
        PullRequestCommit.objects.filter(pull_request=pull_request, commit__isnull=False).values_list(
            "commit_id", flat=True
        )
    )
    if not commit_ids:
        return None
    commits_predict(repository_id=pull_request.repository_id, commit_ids=commit_ids)
    predictions = list(CommitRiskPrediction.objects.filter(model_version=model_version, commit_id__in=commit_ids))
    if not predictions:
        return None
    probabilities = np.array([p.probability for p in predictions])
    probability = float(1.0 - np.prod(1.0 - probabilities))
    riskiest = max(predictions, key=lambda p: p.probability)
    config = risk_config(pull_request.repository.settings)
    with transaction.atomic():
        prediction, _ = PullRequestRiskPrediction.objects.get_or_create(
            pull_request=pull_request,
            head_sha=head_sha,
            model_version=model_version,
            defaults={
                "probability": probability,
                "risk_level": config.risk_level(probability),
                "commit_count": len(predictions),
                "riskiest_commit_id": riskiest.commit_id,
                "top_features": riskiest.top_features,
            },
        )
    return prediction
