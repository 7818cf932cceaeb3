"""Predictions for commits and pull request heads, with the factors that drove each score as
sentences in the repository's terms. Rows are only ever added: one per (commit, model
version) and (pull request, head, version). A repository without a model of its own is scored
by the global model, so predictions exist from its first ingested commit."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from functools import lru_cache

import numpy as np
from django.db import transaction

from analysis.core.kamei import FEATURE_VERSION
from analysis.core.reasons import top_factors
from analysis.core.scorers import RiskScorer, scorer_from_bytes
from analysis.models import CommitRiskPrediction, ModelVersion, PullRequestRiskPrediction, TrainingExample
from analysis.selectors.config import risk_config
from analysis.selectors.risk import model_version_active
from analysis.services.examples import features_compute
from analysis.services.models import global_model_activate
from ingestion.models import Commit, PullRequest, PullRequestCommit

#: scored commits a repository needs before a commit's standing among them means something
MIN_FOR_PERCENTILE = 20


def loaded_scorer(model_version: ModelVersion) -> RiskScorer:
    """The scorer of `model_version`, decoded once per process."""
    return _decoded_scorer(model_version.pk, model_version.created_at)


@lru_cache(maxsize=16)
def _decoded_scorer(model_version_id: int, created_at: datetime) -> RiskScorer:
    # Model versions are immutable, but an id alone is not a version: after a restore
    # (to a point in time, or from a dump) the same id can name another model, while a
    # worker on another machine still holds the old one. Keyed by id and creation time,
    # and read with both, a process never scores with a model that is not the row's.
    stored = ModelVersion.objects.get(pk=model_version_id, created_at=created_at)
    return scorer_from_bytes(stored.algorithm, bytes(stored.model_bytes))


def percentiles_among(probabilities: np.ndarray, others: np.ndarray) -> list[float | None]:
    """For each probability, the share of the other scored commits (`others` and the rest of
    `probabilities`) with a lower one; None while there are fewer than MIN_FOR_PERCENTILE."""
    reference = np.sort(np.concatenate([others, probabilities]))
    if len(reference) < MIN_FOR_PERCENTILE:
        return [None] * len(probabilities)
    below = np.searchsorted(reference, probabilities, side="left")
    return [float(count) / (len(reference) - 1) for count in below]


def commits_predict(*, repository_id: int, commit_ids: Collection[int]) -> int:
    """Score the commits with the repository's active model (the global one when it has none
    yet); returns predictions added."""
    if not commit_ids:
        return 0
    model_version = global_model_activate(repository_id=repository_id)
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
    # Any version scores the current feature vectors: they hold what every model reads.
    examples_of = TrainingExample.objects.filter(commit_id__in=wanted, feature_version=FEATURE_VERSION)
    if examples_of.count() < len(wanted):
        features_compute(repository_id=repository_id, only_missing=True)
    examples = list(examples_of.order_by("commit_id"))
    if not examples:
        return 0
    scorer = loaded_scorer(model_version)
    features = [example.feature_vector for example in examples]
    probabilities, contributions = scorer.explain(features)
    others = np.array(CommitRiskPrediction.objects.filter(model_version=model_version).values_list(
        "probability", flat=True), dtype=float)
    percentiles = percentiles_among(probabilities, others)
    config = risk_config(model_version.repository.settings)
    rows = [
        CommitRiskPrediction(
            commit_id=example.commit_id,
            model_version=model_version,
            probability=float(probability),
            percentile=percentile,
            risk_level=config.risk_level(float(probability), percentile),
            top_features=top_factors(factors, example.feature_vector),
        )
        for example, probability, percentile, factors in zip(
            examples, probabilities, percentiles, contributions, strict=True
        )
    ]
    return len(CommitRiskPrediction.objects.bulk_create(rows, ignore_conflicts=True))


def pull_request_predict(*, pull_request_id: int, head_sha: str) -> PullRequestRiskPrediction | None:
    """Risk of the pull request at `head_sha` from its ingested commits; None when none of its
    commits is ingested yet."""
    pull_request = PullRequest.objects.select_related("repository").get(pk=pull_request_id)
    commit_ids = list(
        PullRequestCommit.objects.filter(pull_request=pull_request, commit__isnull=False).values_list(
            "commit_id", flat=True
        )
    )
    if not commit_ids:
        return None
    commits_predict(repository_id=pull_request.repository_id, commit_ids=commit_ids)
    model_version = model_version_active(repository_id=pull_request.repository_id)
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
                "percentile": riskiest.percentile,
                "risk_level": config.risk_level(probability, riskiest.percentile),
                "commit_count": len(predictions),
                "riskiest_commit_id": riskiest.commit_id,
                "top_features": riskiest.top_features,
            },
        )
    return prediction
