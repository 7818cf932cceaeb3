import numpy as np
import pytest

from analysis.core.scorers import BlendScorer, BlendWeights, GlobalScorer, LocalScorer, scorer_from_bytes
from analysis.core.training import model_matrix, xgboost_train
from tests.analysis.risk_data import small_global_model, stored_features


@pytest.fixture(scope="module")
def scorers():
    rows, labels = stored_features(2_000)
    local = LocalScorer(xgboost_train(model_matrix(rows), labels, rounds=40))
    global_ = GlobalScorer(small_global_model())
    blend = BlendScorer(local=local, global_=global_, weights=BlendWeights(local=0.6, global_=0.5, intercept=-0.2))
    return rows, {"xgboost": local, "global": global_, "blend": blend}


def test_every_kind_of_model_survives_a_round_trip_through_its_stored_bytes(scorers):
    rows, models = scorers
    for algorithm, scorer in models.items():
        again = scorer_from_bytes(algorithm, scorer.to_bytes())

        assert again.algorithm == algorithm
        assert np.allclose(again.predict_proba(rows[:50]), scorer.predict_proba(rows[:50]))


def test_factors_are_named_after_kameis_features_whichever_inputs_the_model_reads(scorers):
    rows, models = scorers
    for scorer in models.values():
        factors = scorer.factor_contributions(rows[:3])[0]

        assert "la" in factors and "la_pct" not in factors and "new_to_subsystem" not in factors


def test_the_blends_factors_are_its_parts_weighted_like_its_score(scorers):
    rows, models = scorers
    local, global_, blend = (models[name].factor_contributions(rows[:1])[0] for name in ("xgboost", "global", "blend"))

    # The parts' factors are already scaled by their calibration slopes (1 for the small global).
    slope = models["xgboost"].model.calibrator.slope
    assert blend["la"] == pytest.approx(0.6 * local["la"] / slope + 0.5 * global_["la"])


def test_one_pass_gives_the_probabilities_and_factors_that_add_up_to_them(scorers):
    rows, models = scorers
    for scorer in models.values():
        probabilities, factors = scorer.explain(rows[:20])

        assert np.allclose(probabilities, scorer.predict_proba(rows[:20]), atol=1e-5)
        assert factors == scorer.factor_contributions(rows[:20])
    # A higher score has more pushed up: the factors' sum follows the probability.
    probabilities, factors = models["global"].explain(rows[:200])
    assert np.corrcoef(probabilities, [sum(f.values()) for f in factors])[0, 1] > 0.9
