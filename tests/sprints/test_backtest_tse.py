from pathlib import Path

import numpy as np
import pytest

from sprints.backtest_tse import backtest_project, classification_scores, nmae, summarise, vel_diff_class
from sprints.tse_data import TseDataError, load_sprints, project_dirs

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "sprints" / "tse2017-sprints"


def _data() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"{DATA} is absent (the TSE 2018 sprint data set)")
    return DATA


def test_it_classifies_vel_diff_as_the_paper_does():
    assert vel_diff_class(np.array([-3.0, 0.0, 2.0])).tolist() == [0, 1, 2]


def test_nmae_divides_the_mean_absolute_error_by_the_interquartile_range():
    y = np.array([0.0, 0.0, 4.0, 8.0])
    assert nmae(y, y + 2) == pytest.approx(2 / 5)


def test_auc_is_perfect_for_a_perfect_ranking():
    truth = np.array([0, 1, 2, 0])
    proba = np.eye(3)[truth]
    assert classification_scores(truth, proba) == {"precision": 1.0, "recall": 1.0, "auc": 1.0}


def test_it_refuses_a_folder_without_sprint_files(tmp_path):
    with pytest.raises(TseDataError):
        project_dirs(tmp_path)


@pytest.mark.slow
def test_it_reads_sprint_names_with_commas_and_aggregates_their_issues():
    sprints = load_sprints(_data() / "JBoss", 80)
    names = {s.name for s in sprints}
    assert "Rel 5.0.0.Alpha2, 4.5.0.Alpha2" in names and len(sprints) == 372
    assert [s.sprint_id for s in sprints] == sorted(s.sprint_id for s in sprints)
    assert sum(s.features["issues"] for s in sprints) > 1000


@pytest.mark.slow
def test_it_predicts_later_sprints_from_earlier_ones_better_than_the_median():
    sprints = load_sprints(_data() / "JBoss", 80)
    result = backtest_project(sprints, 80)
    baseline = nmae(result.y_true, np.full_like(result.y_true, np.median([s.vel_diff for s in sprints[:297]])))
    scores = summarise(result)
    assert result.n_train_initial == 297 and scores["n_test"] == 75
    assert scores["nmae"] < baseline and scores["auc"] > 0.8
