import numpy as np
import pytest

from sprints.core.calibration import BacktestRecord, Calibration, fit_calibration


def _records(n: int, *, bias: float, noise: float, seed: int = 0) -> list[BacktestRecord]:
    """Raw forecasts that are too narrow (10-90 % at median x0.8..x1.25) and biased by `bias`."""
    rng = np.random.default_rng(seed)
    records = []
    for _ in range(n):
        median = float(rng.uniform(5, 40))
        actual = float(np.expm1(np.log1p(median) + bias + rng.normal(0, noise)))
        records.append(BacktestRecord(median * 0.8, median, median * 1.25, max(actual, 0.0)))
    return records


def _coverage(calibration: Calibration, records: list[BacktestRecord]) -> float:
    """Share of outcomes inside the calibrated interval. The three raw quantiles map to the calibrated
    ones because the calibration is monotonic and centred on the median."""
    hits = 0
    for record in records:
        low, _, high = calibration.apply(np.array([record.lower_days, record.median_days, record.upper_days]))
        hits += low <= record.actual_days <= high
    return hits / len(records)


def test_it_keeps_the_raw_forecast_with_too_few_past_milestones():
    assert fit_calibration(_records(5, bias=0.3, noise=0.3)).is_identity


def test_it_learns_the_bias_of_past_forecasts():
    calibration = fit_calibration(_records(40, bias=0.5, noise=0.1), window=None)
    assert calibration.shift == pytest.approx(0.5, abs=0.1)


def test_it_widens_a_too_narrow_interval_until_it_covers_what_it_claims():
    past, future = _records(1000, bias=0.0, noise=0.5, seed=1), _records(1000, bias=0.0, noise=0.5, seed=2)
    calibration = fit_calibration(past, window=None)
    assert calibration.widen_low > 1.5 and calibration.widen_high > 1.5
    assert 0.75 <= _coverage(calibration, future) <= 0.85
    assert _coverage(Calibration(), future) < 0.5


def test_it_fits_on_the_most_recent_window_only():
    old = _records(30, bias=1.0, noise=0.05, seed=3)
    recent = _records(20, bias=0.0, noise=0.05, seed=4)
    assert fit_calibration(old + recent, window=20).shift == pytest.approx(0.0, abs=0.1)


def test_it_keeps_unfinished_trials_unfinished_and_order_preserved():
    calibration = Calibration(shift=0.2, widen_low=2.0, widen_high=1.5, n_records=10)
    days = np.array([1.0, 3.0, 5.0, 9.0, np.inf])
    calibrated = calibration.apply(days)
    assert np.isinf(calibrated[-1]) and np.all(np.diff(calibrated[:-1]) > 0)
