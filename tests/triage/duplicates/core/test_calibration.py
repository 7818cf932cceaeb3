import numpy as np

from triage.duplicates.core.calibration import (
    expected_calibration_error,
    fit_calibration,
    fit_logistic,
    reliability_table,
    same_change_probability,
)

MODEL = {"intercept": -4.0, "coefficients": {"code_jaccard": 8.0}}


def test_the_probability_grows_with_the_evidence_and_never_reaches_certainty():
    low = same_change_probability({"code_jaccard": 0.1}, MODEL)
    high = same_change_probability({"code_jaccard": 1.0}, MODEL)
    assert low < 0.1 < 0.95 < high < 1.0


def test_a_repository_calibration_shifts_the_model():
    values = {"code_jaccard": 0.6}
    assert same_change_probability(values, MODEL, {"a": 1.0, "b": -2.0}) < same_change_probability(values, MODEL)


def test_logistic_regression_recovers_a_clear_boundary():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1, size=(400, 1))
    y = (x[:, 0] > 0.5).astype(float)
    intercept, slope = fit_logistic(x, y, l2=0.01)
    assert slope > 5 and abs(-intercept / slope - 0.5) < 0.05


def test_few_labels_move_the_calibration_a_little_and_many_move_it_more():
    few = fit_calibration([3.0, 3.0], [False, False])
    many = fit_calibration([3.0] * 200, [False] * 200)
    assert 0.0 > few["b"] > many["b"] or few["a"] > many["a"]
    assert fit_calibration([], []) == {"a": 1.0, "b": 0.0, "labels": 0}


def test_the_reliability_table_says_how_often_verdicts_at_each_confidence_were_right():
    pairs = [(0.95, True)] * 9 + [(0.95, False)] + [(0.6, True), (0.6, False)]
    table = reliability_table(pairs)
    top = next(row for row in table if row.low == 0.95)
    assert top.n == 10 and top.share_right == 0.9 and top.mean_confidence == 0.95
    assert expected_calibration_error(table) == round((10 * 0.05 + 2 * 0.1) / 12, 4)
