import numpy as np
import pytest

from analysis.core.handover import RECALIBRATION_MIN_ROWS, Examples, global_reason, global_recalibrated, handover_choose
from analysis.core.scorers import GlobalScorer
from tests.analysis.risk_data import small_global_model, stored_features


@pytest.fixture(scope="module")
def global_scorer():
    return GlobalScorer(small_global_model())


def examples(rows, labels) -> Examples:
    return Examples(features=rows, labels=np.asarray(labels), found_share=np.ones(len(labels)))


def test_it_keeps_the_candidate_that_ranks_the_holdout_best_and_says_why(global_scorer):
    rows, labels = stored_features(1_500, seed=5)

    choice = handover_choose(global_scorer, examples(rows, labels), cut=1_200)

    assert set(choice.candidates) == {"global", "xgboost", "blend"}
    best = max(candidate.metrics["auc"] for candidate in choice.candidates.values())
    assert choice.chosen.metrics["auc"] == best
    assert choice.reason.startswith("Chosen because ") and "latest 300 labelled commits" in choice.reason
    assert all(np.isfinite(candidate.metrics["ece"]) for candidate in choice.candidates.values())
    # The product flags the top 30 % (medium risk or above) whatever the probabilities.
    assert choice.chosen.metrics["flagged_share"] >= 0.29


def test_a_repository_whose_bugs_follow_its_own_pattern_is_scored_by_its_own_model_or_the_blend(global_scorer):
    rows, _ = stored_features(1_500, seed=6)
    rng = np.random.default_rng(6)
    # Here the risky commits are the ones touching long-untouched files, which the
    # synthetic global model never learned.
    labels = (rng.random(len(rows)) < np.where([row["age"] > 90 for row in rows], 0.7, 0.05)).astype(int)

    choice = handover_choose(global_scorer, examples(rows, labels), cut=1_200)

    assert choice.chosen.scorer.algorithm in {"xgboost", "blend"}
    assert choice.candidates["global"].metrics["auc"] < choice.chosen.metrics["auc"]


def test_the_global_models_reason_names_what_it_learned_from(global_scorer):
    reason = global_reason(global_scorer, labelled=5, needed=50)

    assert reason.startswith("This repository has 5 labelled commits, fewer than the 50")
    assert "1 other project (synthetic)" in reason and "AUC 0.70" in reason


def test_the_global_model_is_recalibrated_on_the_repositorys_recent_commits_when_its_rate_of_bugs_drifted(
    global_scorer,
):
    rows, _ = stored_features(3_000, seed=8)
    rng = np.random.default_rng(8)
    # Early on most commits were risky; lately one in ten is.
    early = np.arange(len(rows)) < 2_000
    labels = (rng.random(len(rows)) < np.where(early, 0.6, 0.1)).astype(int)

    recalibrated = global_recalibrated(global_scorer, examples(rows, labels))

    recent = recalibrated.predict_proba(rows[-RECALIBRATION_MIN_ROWS:])
    assert recent.mean() == pytest.approx(0.1, abs=0.03)
