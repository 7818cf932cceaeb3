import pytest

from analysis.core.git_history import commits_from_clone
from benchmarks.risk.evaluation import EvaluationError, EvaluationRequest, risk_evaluate
from tests.analysis.gitrepo import DAY, START, buggy_history
from tests.analysis.risk_data import small_global_model


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    return buggy_history(tmp_path_factory.mktemp("eval") / "repo", modules=45)


def test_it_reports_every_model_on_the_time_split_with_szz_labels(history):
    repo, inducing = history
    records = list(commits_from_clone(repo.path))
    split = START + 40 * DAY
    request = EvaluationRequest(
        train_until=split, test_until=repo.clock, fix_shas=tuple(inducing.values()), clone_path=str(repo.path),
        reference_links={(fix, bad) for bad, fix in inducing.items()}, maturity_days=0,
    )

    result = risk_evaluate(records, request)

    assert result["szz_link_precision"] == 1.0 and result["szz_link_recall"] == 1.0
    for name in ("xgboost", "lapredict", "kamei_lr"):
        assert result[name]["n_train"] + result[name]["n_test"] == len(records)
        assert set(result[name]) >= {"auc", "f1", "mcc", "recall_at_20_effort", "effort_at_20_recall", "popt"}
    assert result["lapredict"]["auc"] == 1.0  # the inducing commits are the large ones


def test_it_refuses_szz_labels_without_a_clone(history):
    repo, _ = history
    request = EvaluationRequest(train_until=START, test_until=repo.clock)

    with pytest.raises(EvaluationError):
        risk_evaluate(list(commits_from_clone(repo.path)), request)


def test_it_reports_the_global_model_and_the_blend_with_calibration_and_the_share_of_size(history):
    repo, inducing = history
    records = list(commits_from_clone(repo.path))
    request = EvaluationRequest(
        train_until=START + 40 * DAY, test_until=repo.clock, fix_shas=tuple(inducing.values()),
        clone_path=str(repo.path), maturity_days=0, global_model=small_global_model(),
    )

    result = risk_evaluate(records, request)

    assert result["global"]["n_train"] == 0 and result["global"]["version"] == "global-test"
    # Recalibrating moves the probabilities, never the ranking.
    recalibrated = result["global_recalibrated"]
    assert 0 < recalibrated["n_train"] < result["xgboost"]["n_train"]
    assert recalibrated["auc"] == pytest.approx(result["global"]["auc"])
    for name in ("xgboost", "lapredict", "kamei_lr", "global", "global_recalibrated", "blend"):
        assert 0 <= result[name]["ece"] <= 1 and 0 <= result[name]["ece_raw"] <= 1
        floor = result[name]["ece_if_calibrated"]
        assert 0 < floor["median"] <= floor["p90"] < 1 and 0 <= result[name]["ece_p_value"] <= 1
        assert -1 <= result[name]["lines_added_rank_correlation"] <= 1
    assert result["lapredict"]["lines_added_rank_correlation"] == pytest.approx(1.0)


def test_it_refuses_to_score_the_global_model_on_a_repository_it_was_trained_on(history):
    repo, inducing = history
    records = list(commits_from_clone(repo.path))
    root = next(record.sha for record in records if not record.parents)
    request = EvaluationRequest(
        train_until=START + 40 * DAY, test_until=repo.clock, fix_shas=tuple(inducing.values()),
        clone_path=str(repo.path), maturity_days=0, global_model=small_global_model(roots=(root,)),
    )

    result = risk_evaluate(records, request)

    assert result["global"] == {"not_evaluated": "the global model was trained on this repository (synthetic)"}
    assert "blend" not in result and "global_recalibrated" not in result
