import numpy as np
import pytest

from analysis.core.calibration import (
    DiscoveryCurve,
    ages_at,
    discovery_curve_fit,
    ece_consistency,
    expected_calibration_error,
    logistic_fit,
    platt_fit,
)


def test_a_calibrated_forecast_has_an_ece_near_zero_and_a_biased_one_its_bias():
    rng = np.random.default_rng(1)
    p = rng.uniform(0, 1, 50_000)
    y = rng.random(50_000) < p

    assert expected_calibration_error(y, p) < 0.01
    assert expected_calibration_error(y, np.clip(p + 0.1, 0, 1)) == pytest.approx(0.1, abs=0.02)
    assert expected_calibration_error(np.zeros(4), np.full(4, 0.3)) == pytest.approx(0.3)


def test_a_few_hundred_calibrated_commits_show_an_ece_far_from_zero_and_the_check_says_so():
    rng = np.random.default_rng(2)
    p = rng.beta(1.2, 5, 256)  # commit-risk-like: mostly low, a tail of high probabilities
    calibrated = [expected_calibration_error(rng.random(256) < p, p) for _ in range(300)]
    check = ece_consistency(p, float(np.median(calibrated)))

    assert 0.02 < check.median < 0.08  # what the resampling expects ...
    assert check.median == pytest.approx(np.median(calibrated), abs=0.005)  # ... is what draws show
    assert check.p90 > check.median
    assert 0.35 < check.p_value < 0.65  # a typical calibrated ECE is typical


def test_probabilities_that_are_off_get_a_small_p_value_and_more_commits_a_lower_floor():
    rng = np.random.default_rng(3)
    p = rng.beta(1.2, 5, 2_000)
    y = rng.random(2_000) < p
    shifted = np.clip(p + 0.1, 0, 1)

    assert ece_consistency(shifted, expected_calibration_error(y, shifted)).p_value < 0.01
    assert ece_consistency(p, expected_calibration_error(y, p)).p_value > 0.01
    assert ece_consistency(p, 0.0).median < ece_consistency(p[:256], 0.0).median


def test_the_consistency_check_is_the_same_on_every_run():
    p = np.linspace(0.01, 0.9, 300)
    assert ece_consistency(p, 0.05) == ece_consistency(p, 0.05)
    assert np.isnan(ece_consistency([], 0.05).median)


def test_the_discovery_curve_rises_to_one_at_the_mature_age():
    curve = DiscoveryCurve(points=((0.5, 0.2), (2.0, 0.6), (4.0, 1.0)))

    assert curve.found_share([0.0, 0.5, 1.25, 2.0, 10.0]).tolist() == pytest.approx([0.2, 0.2, 0.4, 0.6, 1.0])
    assert DiscoveryCurve.from_json(curve.to_json()) == curve


def censored_project(rng, *, base: float, n: int = 20_000):
    """Commits over ten years before the labels' date, each bug-inducing with `base`, whose
    bug is found within its age with probability min(age / 4, 1)."""
    ages = rng.uniform(0, 10, n)
    buggy = rng.random(n) < base
    found = rng.random(n) < np.minimum(ages / 4, 1.0)
    return ages, (buggy & found).astype(int)


def test_the_curve_learns_how_much_of_the_bugs_young_commits_show_whatever_each_projects_rate():
    rng = np.random.default_rng(2)
    groups = [censored_project(rng, base=base) for base in (0.1, 0.3, 0.5)]

    curve = discovery_curve_fit(groups)

    assert curve.found_share([0.5, 1.75, 3.5]) == pytest.approx([0.125, 0.4375, 0.875], abs=0.06)
    assert curve.found_share([4.0, 9.0]).tolist() == [1.0, 1.0]


def test_platt_fitted_on_what_the_labels_could_show_recovers_the_eventual_probability():
    rng = np.random.default_rng(3)
    margins = rng.normal(0, 1.5, 40_000)
    eventual = 1 / (1 + np.exp(-margins))
    share = rng.uniform(0.2, 1.0, 40_000)
    labels = rng.random(40_000) < eventual * share

    naive = platt_fit(margins, labels)
    aware = platt_fit(margins, labels, found_share=share)

    assert aware.slope == pytest.approx(1.0, abs=0.08) and aware.intercept == pytest.approx(0.0, abs=0.08)
    assert naive.apply(np.array([0.0]))[0] < 0.4  # ignoring the censoring underestimates the risk


def test_a_logistic_fit_never_turns_a_score_upside_down():
    weights, _ = logistic_fit(np.column_stack([np.arange(10.0), -np.arange(10.0)]), np.arange(10) >= 5)

    assert (weights >= 0).all()


def test_ages_are_years_before_the_labels_date():
    assert ages_at([0, 365.25 * 86_400], 2 * 365.25 * 86_400).tolist() == [2.0, 1.0]
