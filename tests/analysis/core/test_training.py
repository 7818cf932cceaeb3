import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from analysis.core.training import (
    XGBoostRiskModel,
    kamei_lr_train,
    lapredict_train,
    model_matrix,
    xgboost_train,
)
from benchmarks.risk.timing import synthetic_features


@pytest.fixture(scope="module")
def data():
    rows, y = synthetic_features(3000, seed=3)
    return model_matrix(rows), y


def test_xgboost_beats_chance_and_gives_calibrated_probabilities(data):
    X, y = data
    model = xgboost_train(X[:2400], y[:2400])
    probabilities = model.predict_proba(X[2400:])

    assert roc_auc_score(y[2400:], probabilities) > 0.65
    assert probabilities.min() >= 0 and probabilities.max() <= 1
    # Platt scaling on a later slice keeps the mean close to the observed rate.
    assert abs(probabilities.mean() - y[2400:].mean()) < 0.1


def test_told_that_labels_show_half_of_the_bugs_the_calibration_doubles_the_risk(data):
    X, y = data
    plain = xgboost_train(X[:2400], y[:2400]).predict_proba(X[2400:])
    censored = xgboost_train(X[:2400], y[:2400], found_share=np.full(2400, 0.5)).predict_proba(X[2400:])

    assert censored.mean() == pytest.approx(2 * plain.mean(), rel=0.25)
    assert roc_auc_score(y[2400:], censored) == pytest.approx(roc_auc_score(y[2400:], plain))


def test_a_model_survives_a_round_trip_through_bytes(data):
    X, y = data
    model = xgboost_train(X[:500], y[:500], rounds=20)

    restored = XGBoostRiskModel.from_bytes(model.to_bytes())

    assert np.allclose(restored.predict_proba(X[:50]), model.predict_proba(X[:50]))


def test_baselines_score_every_commit(data):
    X, y = data
    for train in (lapredict_train, kamei_lr_train):
        scores = train(X[:2400], y[:2400])(X[2400:])
        assert scores.shape == (600,) and roc_auc_score(y[2400:], scores) > 0.6
