import json
from pathlib import Path

import pytest
from django.core.management import call_command

from benchmarks.forecasts.backtest_git import BacktestSettings, run_git_backtest
from benchmarks.forecasts.git_history import GitHistoryError, release_milestones, release_tags
from tests.sprints.gitrepo import release_history

HEALTHCHECKS = Path("/work/repos/healthchecks")


@pytest.fixture(scope="module")
def steady_repo(tmp_path_factory) -> Path:
    return release_history(tmp_path_factory.mktemp("steady") / "repo")


def test_it_turns_consecutive_release_tags_into_milestones_of_their_commits(steady_repo):
    tags = release_tags(steady_repo)
    milestones = release_milestones(steady_repo)
    assert [t for t, _ in tags][:3] == ["1.0", "1.1", "1.2"]
    assert len(milestones) == len(tags) - 1
    assert {m.size for m in milestones} == {30}
    assert {round(m.duration_days) for m in milestones} == {10, 30}


def test_it_refuses_a_folder_that_is_not_a_repository(tmp_path):
    with pytest.raises(GitHistoryError):
        release_milestones(tmp_path)


def test_it_scores_every_release_with_enough_history_at_every_checkpoint(steady_repo):
    result = run_git_backtest(steady_repo, settings=BacktestSettings(min_history=5, min_calibration=5, trials=500))
    # The first 5 releases lack history; the next 5 only feed the calibration.
    assert [row["n"] for row in result["checkpoints"]] == [len(release_milestones(steady_repo)) - 10] * 3
    assert all(row["coverage_80"] >= 0.6 and row["mae_days"] < 20 for row in result["checkpoints"])


def test_the_command_prints_json_last(steady_repo, capsys):
    call_command("forecast_backtest", str(steady_repo))
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert json.loads(last)["benchmark"] == "git_releases"


@pytest.mark.slow
def test_it_meets_the_coverage_target_on_healthchecks():
    if not (HEALTHCHECKS / ".git").exists():
        pytest.skip(f"{HEALTHCHECKS} is absent (fetch github:healthchecks/healthchecks and clone it there)")
    result = run_git_backtest(HEALTHCHECKS)
    for row in result["checkpoints"]:
        assert 0.75 <= row["coverage_80"] <= 0.88, row
    assert result["checkpoints"][-1]["brier_skill"] > 0
