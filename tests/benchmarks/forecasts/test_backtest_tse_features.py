"""Feature builders of the TSE backtest: board history and the sprint's trajectory over checkpoints
use only what is known at the sprint's own checkpoint."""

import numpy as np
import pytest

from benchmarks.forecasts.backtest_tse import TRAJECTORY, add_trajectory, correction, feature_matrix, training_rows
from benchmarks.forecasts.tse_data import ITERATION_NUMERIC, Sprint


def _sprint(sprint_id: int, *, board: int = 1, vel_diff: float = 0.0, issues: float = 0.0, **counters: float) -> Sprint:
    features = dict.fromkeys(ITERATION_NUMERIC, 0.0) | counters
    return Sprint("Demo", board, sprint_id, f"Sprint {sprint_id}", vel_diff, features, {"issues": issues})


def _column(sprints: list[Sprint], name: str) -> list[float]:
    x, names = feature_matrix(sprints)
    return x[:, names.index(name)].tolist()


def test_a_boards_first_sprint_has_no_history():
    sprints = [_sprint(1, vel_diff=-5), _sprint(2, board=2, vel_diff=3), _sprint(3, vel_diff=1)]
    assert _column(sprints, "board_sprints") == [0.0, 0.0, 1.0]
    assert np.isnan(_column(sprints, "board_last")[:2]).all()


def test_board_history_only_uses_earlier_sprints_of_the_same_board():
    sprints = [_sprint(1, vel_diff=-4), _sprint(2, board=2, vel_diff=9)]
    sprints += [_sprint(3, vel_diff=-2), _sprint(4, vel_diff=7)]
    assert _column(sprints, "board_last")[2:] == [-4.0, -2.0]
    assert _column(sprints, "board_mean")[3] == pytest.approx(-3.0)


def test_changing_a_later_outcome_leaves_earlier_features_alone():
    sprints = [_sprint(i, vel_diff=float(i % 3 - 1), vel_starttime=10.0, vel_todo=4.0) for i in range(1, 8)]
    before, _ = feature_matrix(sprints)
    sprints[-1].vel_diff = 1000.0
    sprints[-1].issues["issues"] = 1000.0
    after, _ = feature_matrix(sprints)
    assert np.array_equal(before, after, equal_nan=True)


def test_a_sprints_own_issue_list_never_reaches_its_features():
    # The issue files also list issues added after the checkpoint: the sprint's final scope.
    sprints = [_sprint(1, issues=3.0), _sprint(2, issues=3.0)]
    before, names = feature_matrix(sprints)
    sprints[1].issues = {"issues": 40.0, "type_bug_share": 1.0, "sum_no_comment": 75.0}
    after, _ = feature_matrix(sprints)
    assert np.array_equal(before[1], after[1], equal_nan=True)
    assert not {"issues", "type_bug_share", "sum_no_comment"} & set(names)


def test_the_delivery_ratio_compares_delivered_with_committed_velocity():
    sprints = [_sprint(1, vel_diff=-2, vel_starttime=10.0), _sprint(2, vel_diff=1, vel_starttime=10.0), _sprint(3)]
    assert _column(sprints, "board_delivery_ratio")[2] == pytest.approx(19 / 20)
    assert _column(sprints, "board_prev_delivered")[2] == 11.0


def test_the_correction_is_what_a_sprint_delivered_after_the_checkpoint():
    # 6 points open at the checkpoint and it ended 2 below its scope: 4 of the 6 were delivered.
    assert correction(_sprint(1, vel_diff=-2.0, vel_todo=4.0, vel_inprogress=2.0)) == 4.0


def test_completion_history_is_the_share_of_open_work_earlier_sprints_went_on_to_deliver():
    sprints = [_sprint(1, vel_diff=-2.0, vel_todo=6.0), _sprint(2, vel_diff=0.0, vel_todo=2.0)]
    sprints.append(_sprint(3, vel_todo=10.0))
    assert _column(sprints, "board_completion")[2] == pytest.approx((4 + 2) / (6 + 2))
    assert _column(sprints, "board_completion_x_remaining")[2] == pytest.approx(7.5)
    assert _column(sprints, "board_correction_median")[2] == pytest.approx(3.0)


def test_late_issues_count_what_earlier_sprints_took_in_after_the_checkpoint():
    earlier = _sprint(1, issues=9.0, no_issue_starttime=5.0, no_issue_added=1.0)
    assert _column([earlier, _sprint(2, issues=50.0)], "board_late_issues_mean")[1] == 3.0


def test_other_boards_views_of_a_test_sprint_never_train_its_model():
    # Sprint 7 is listed on two boards; the split falls between its copies.
    ids = [1, 2, 3, 7, 7, 8]
    assert training_rows(ids, 4, 6).tolist() == [0, 1, 2]
    assert training_rows(ids, 3, 6).tolist() == [0, 1, 2]
    assert training_rows(ids, 5, 6).tolist() == [0, 1, 2, 3, 4]


def test_trajectory_adds_earlier_checkpoint_counters_and_the_change_since():
    at30 = [_sprint(5, vel_done=3.0), _sprint(6, vel_done=1.0)]
    at80 = [_sprint(5, vel_done=8.0), _sprint(6, board=2, vel_done=4.0)]
    add_trajectory(at80, {30: at30})
    assert at80[0].features["vel_done_at30"] == 3.0 and at80[0].features["vel_done_since30"] == 5.0
    # Same sprint id on another board is another row: no trajectory borrowed from board 1.
    assert "vel_done_at30" not in at80[1].features
    assert {f"{name}_at30" for name in TRAJECTORY} <= set(at80[0].features)
