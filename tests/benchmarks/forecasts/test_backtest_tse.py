from pathlib import Path

import numpy as np
import pytest
from sklearn.ensemble import RandomForestRegressor

from benchmarks.forecasts.backtest_tse import (
    backtest_project,
    classification_scores,
    margin_class,
    nmae,
    summarise,
    training_rows,
    vel_diff_class,
)
from benchmarks.forecasts.tse_data import TseDataError, load_sprints, project_dirs
from benchmarks.forecasts.tse_quantile_forest import leaf_weights, weighted_quantile

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "sprints" / "tse2017-sprints"


def _data() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"{DATA} is absent (the TSE 2018 sprint data set)")
    return DATA


def test_the_headline_classes_split_vel_diff_by_its_sign():
    assert vel_diff_class(np.array([-3.0, 0.0, 2.0])).tolist() == [0, 1, 2]


def test_the_paper_classes_use_percentile_margins_instead_of_the_sign():
    assert margin_class(np.array([-12.0, -11.0, 0.0, 1.0]), -11.0, 0.0).tolist() == [0, 1, 1, 2]


def test_nmae_divides_the_mean_absolute_error_by_the_interquartile_range():
    y = np.array([0.0, 0.0, 4.0, 8.0])
    assert nmae(y, y + 2) == pytest.approx(2 / 5)


def test_nmae_can_divide_by_the_whole_projects_interquartile_range_instead():
    y = np.array([0.0, 0.0, 4.0, 8.0])
    assert nmae(y, y + 2, iqr=4.0) == pytest.approx(2 / 4)


def test_the_weighted_median_is_the_value_where_half_the_weight_is_reached():
    values = np.array([5.0, 0.0, 1.0, 9.0])
    weights = np.array([[0.1, 0.3, 0.3, 0.3], [0.0, 0.0, 0.2, 0.8]])
    assert weighted_quantile(weights, values).tolist() == [1.0, 9.0]


def test_a_quantile_forests_weights_sum_to_one_and_favour_similar_sprints():
    x_train = np.concatenate([np.linspace(0, 1, 10), np.linspace(10, 11, 10)])[:, None]
    forest = RandomForestRegressor(n_estimators=20, min_samples_leaf=3, random_state=0)
    weights = leaf_weights(forest.fit(x_train, x_train[:, 0]), x_train, np.array([[0.5], [10.5]]))
    assert weights.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert weights[0, :10].sum() == pytest.approx(1.0) and weights[1, 10:].sum() == pytest.approx(1.0)


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
    assert sum(s.issues["issues"] for s in sprints) > 1000


@pytest.mark.slow
def test_the_issue_files_list_issues_added_after_the_checkpoint_so_they_stay_out_of_the_features():
    sprints = load_sprints(_data() / "JIRA", 0)
    at_start = [
        s.features["no_issuetodo"] + s.features["no_issueinprogress"] + s.features["no_issuedone"] for s in sprints
    ]
    later = sum(s.issues["issues"] > count for s, count in zip(sprints, at_start, strict=True))
    assert later > len(sprints) / 2
    assert not any(
        name.startswith(("issues", "type_", "prio_", "mean_", "sum_")) for s in sprints for name in s.features
    )


@pytest.mark.slow
def test_it_predicts_later_sprints_from_earlier_ones_better_than_the_median():
    sprints = load_sprints(_data() / "JBoss", 80)
    result = backtest_project(sprints, 80)
    baseline = nmae(result.y_true, np.full_like(result.y_true, np.median([s.vel_diff for s in sprints[:297]])))
    scores = summarise(result)
    assert result.n_train_initial == 297 and scores["n_test"] == 75
    assert scores["nmae"] < baseline and scores["auc"] > 0.8
    assert result.class_proba.sum(axis=1) == pytest.approx(np.ones(75))
    assert scores["nmae"] < scores["nmae_naive"] + 0.05


@pytest.mark.slow
def test_where_the_jira_split_cuts_through_a_sprint_its_views_before_the_split_do_not_train():
    sprints = load_sprints(_data() / "JIRA", 50)
    ids = [s.sprint_id for s in sprints]
    straddling = set(ids[:1498]) & set(ids[1498:])
    copies_before = sum(i in straddling for i in ids[:1498])
    train = training_rows(ids, 1498, len(ids))
    assert straddling and copies_before > 0
    assert len(train) == 1498 - copies_before and not straddling & {ids[i] for i in train}
    result = backtest_project(sprints, 50)
    assert result.n_train_initial == 1498 and len(result.y_pred) == 375
