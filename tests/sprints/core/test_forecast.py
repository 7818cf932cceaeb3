from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from sprints.core.forecast import (
    AT_RISK,
    OFF_TRACK,
    ON_TRACK,
    ForecastRequest,
    PastMilestone,
    WorkItem,
    estimate_weight,
    forecast_milestone,
    probability_after_removal,
    scope_growth_history,
)

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def _completions(days: int, per_day: int) -> tuple[tuple[datetime, float], ...]:
    return tuple((NOW - timedelta(days=d, hours=h), 1.0) for d in range(days) for h in range(per_day))


def _past(index: int) -> PastMilestone:
    """Closed milestones of 20 items over 10 days, 4 of them added after the start."""
    start = NOW - timedelta(days=200 - 15 * index)
    items = [WorkItem(100 * index + n, start - timedelta(days=1), start + timedelta(days=n / 2)) for n in range(16)]
    items += [WorkItem(100 * index + 50 + n, start + timedelta(days=2), start + timedelta(days=9)) for n in range(4)]
    return PastMilestone(start, start + timedelta(days=10), tuple(items))


def _request(open_items: int, due_in_days: int, **overrides) -> ForecastRequest:
    items = tuple(WorkItem(n, NOW - timedelta(days=5)) for n in range(open_items))
    items += (WorkItem(999, NOW - timedelta(days=5), NOW - timedelta(days=1)),)
    values = {
        "as_of": NOW,
        "start": NOW - timedelta(days=5),
        "due": (NOW + timedelta(days=due_in_days)).date(),
        "items": items,
        "completions": _completions(200, 2),
        "past_milestones": tuple(_past(i) for i in range(10)),
        "trials": 2_000,
    }
    return ForecastRequest(**(values | overrides))


@pytest.mark.parametrize(
    ("labels", "weight"),
    [(["size: 3"], 3.0), (["points/5"], 5.0), (["size/M"], 3.0), (["estimate: XL"], 8.0), (["bug"], 1.0)],
)
def test_it_reads_estimates_from_labels(labels, weight):
    assert estimate_weight(labels) == weight


def test_scope_growth_is_learnt_from_work_added_after_past_starts():
    growth = scope_growth_history([_past(0)])
    assert growth.sum() == 4 and len(growth) == 10


def test_an_easy_milestone_is_on_track_and_a_hopeless_one_off_track():
    easy = forecast_milestone(_request(open_items=4, due_in_days=30))
    hopeless = forecast_milestone(_request(open_items=200, due_in_days=5))
    assert easy.status == ON_TRACK and easy.completion_probability > 0.9
    assert hopeless.status == OFF_TRACK and hopeless.completion_probability < 0.1
    assert hopeless.predicted_date > (NOW + timedelta(days=5)).date()


def test_it_reports_a_calibrated_interval_around_the_median_with_reasons():
    result = forecast_milestone(_request(open_items=20, due_in_days=10))
    assert result.lower_date <= result.predicted_date <= result.upper_date
    # 10 past milestones x 3 checkpoints, of which the 20 most recent are used.
    assert result.calibration["n_records"] == 20
    assert "Calibrated on 20 backtests" in result.reasoning
    assert result.status in {ON_TRACK, AT_RISK, OFF_TRACK}


def test_it_draws_burndown_and_burnup_lines():
    result = forecast_milestone(_request(open_items=10, due_in_days=10))
    assert result.burndown_actual[-1] == {
        "date": NOW.date().isoformat(),
        "remaining": 10.0,
        "completed": 1.0,
        "scope": 11.0,
    }
    assert result.burndown_ideal[0]["remaining"] == 11.0 and result.burndown_ideal[-1]["remaining"] == 0.0
    assert result.velocity_required == pytest.approx(10 / 10 * 7)


def test_it_is_done_when_nothing_remains():
    result = forecast_milestone(_request(open_items=0, due_in_days=3))
    assert result.completion_probability == 1.0 and result.predicted_date == date(2026, 3, 1)


def test_removing_work_raises_the_completion_probability():
    request = _request(open_items=30, due_in_days=12)
    result = forecast_milestone(request)
    probability = probability_after_removal(result, request, trials=1_000)
    values = [probability(removed) for removed in (0, 10, 20, 30)]
    assert values == sorted(values) and values[-1] == 1.0
    assert np.isclose(values[0], result.completion_probability, atol=0.1)
