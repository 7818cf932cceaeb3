"""Loaded models are cached per process by id and creation time, so a process never scores
with a model that is no longer the row's (after a restore the same id can name another)."""

import numpy as np
import pytest

from analysis.core.kamei import FEATURE_VERSION
from analysis.core.scorers import scorer_from_bytes
from analysis.core.training import model_matrix, xgboost_train
from analysis.models import ModelVersion
from analysis.services.predictions import loaded_scorer
from benchmarks.risk.timing import synthetic_features
from ingestion.models import Repository


@pytest.fixture(scope="module")
def two_models():
    rows, y = synthetic_features(400, seed=5)
    X = model_matrix(rows)
    return rows, X, xgboost_train(X, y, rounds=10), xgboost_train(X, 1 - np.asarray(y), rounds=10)


def _scored(model, rows) -> np.ndarray:
    return scorer_from_bytes("xgboost", model.to_bytes()).predict_proba(rows)


def _version(repository: Repository, model, **fields) -> ModelVersion:
    return ModelVersion.objects.create(
        repository=repository, version=1, feature_version=FEATURE_VERSION, model_bytes=model.to_bytes(), **fields
    )


@pytest.mark.django_db
def test_an_id_that_names_another_model_after_a_restore_is_loaded_again(acme, two_models):
    rows, X, model_a, model_b = two_models
    repository = Repository.objects.create(github_id=9001, full_name="acme/risk", organization=acme)
    first = _version(repository, model_a)
    assert np.allclose(loaded_scorer(first).predict_proba(rows[:20]), _scored(model_a, rows[:20]))

    # A restore to an earlier point, then another training: the id comes back for a new model.
    same_id = first.pk
    first.delete()
    second = _version(repository, model_b, pk=same_id)

    assert np.allclose(loaded_scorer(second).predict_proba(rows[:20]), _scored(model_b, rows[:20]))
    assert not np.allclose(model_a.predict_proba(X[:20]), model_b.predict_proba(X[:20]))
