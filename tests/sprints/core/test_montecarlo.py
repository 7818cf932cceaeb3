import time
from datetime import date

import numpy as np
import pytest

from sprints.core.montecarlo import (
    ForecastInputError,
    SimulationInput,
    simulate_days,
    summarise_days,
    weighted_throughput,
)

STEADY = np.array([2.0, 1.0, 3.0, 2.0, 2.0, 1.0, 3.0])


def test_it_finishes_fixed_work_at_the_rate_the_history_shows():
    days = simulate_days(SimulationInput(remaining=20, daily_throughput=STEADY), trials=5_000)
    assert 8 <= np.median(days) <= 12
    assert np.isfinite(days).all()


def test_it_takes_longer_when_scope_keeps_growing():
    fixed = simulate_days(SimulationInput(remaining=20, daily_throughput=STEADY))
    growing = simulate_days(
        SimulationInput(remaining=20, daily_throughput=STEADY, daily_scope_growth=np.array([0.0, 1.0]))
    )
    assert np.median(growing) > np.median(fixed) * 1.2


def test_it_never_finishes_when_scope_grows_faster_than_the_team_works():
    days = simulate_days(
        SimulationInput(remaining=5, daily_throughput=np.array([1.0]), daily_scope_growth=np.array([2.0])),
        trials=200,
    )
    assert np.isinf(days).all()
    forecast = summarise_days(days, as_of=date(2026, 1, 1), due_date=date(2026, 3, 1))
    assert forecast.completion_probability == 0.0 and forecast.predicted_date is None


def test_it_draws_an_unknown_scope_from_samples():
    small = simulate_days(SimulationInput(remaining=np.array([5.0]), daily_throughput=STEADY))
    mixed = simulate_days(SimulationInput(remaining=np.array([5.0, 50.0]), daily_throughput=STEADY))
    assert np.quantile(mixed, 0.9) > 3 * np.quantile(small, 0.9)


def test_it_reports_probability_by_due_date_median_and_interval():
    days = simulate_days(SimulationInput(remaining=20, daily_throughput=STEADY))
    forecast = summarise_days(days, as_of=date(2026, 1, 1), due_date=date(2026, 1, 11))
    assert 0.3 < forecast.completion_probability < 0.9
    assert forecast.lower_date <= forecast.predicted_date <= forecast.upper_date
    assert forecast.distribution[-1]["cumulative"] == pytest.approx(1.0)


def test_it_refuses_an_empty_history():
    with pytest.raises(ForecastInputError):
        simulate_days(SimulationInput(remaining=3, daily_throughput=np.zeros(0)))


def test_it_weights_completions_by_estimate():
    daily = weighted_throughput(
        [date(2026, 1, 1), date(2026, 1, 3), date(2026, 1, 3)],
        [1.0, 3.0, 2.0],
        start=date(2026, 1, 1),
        end=date(2026, 1, 3),
    )
    assert daily.tolist() == [1.0, 0.0, 5.0]


def test_it_runs_ten_thousand_trials_in_under_200_ms():
    rng = np.random.default_rng(3)
    sim = SimulationInput(
        remaining=60,
        daily_throughput=rng.poisson(1.5, 90).astype(float),
        daily_scope_growth=rng.poisson(0.3, 90).astype(float),
    )
    simulate_days(sim)  # warm-up
    timings = []
    for seed in range(5):
        started = time.perf_counter()
        simulate_days(sim, trials=10_000, seed=seed)
        timings.append(time.perf_counter() - started)
    print(f"10,000 trials: best {1000 * min(timings):.1f} ms, worst {1000 * max(timings):.1f} ms")
    # Best of five, because the machine is shared; the requirement itself is the bound.
    assert min(timings) < 0.2
