import pytest

from analysis.core.metrics import classification_metrics, effort_at_recall, link_agreement, popt, recall_at_effort

LABELS = [1, 0, 1, 0, 0]
EFFORT = [10, 10, 10, 10, 60]


def test_a_perfect_ranking_has_popt_one_and_finds_half_the_bugs_in_a_fifth_of_the_effort():
    scores = [0.9, 0.1, 0.8, 0.2, 0.3]

    assert popt(LABELS, scores, EFFORT) == pytest.approx(1.0)
    assert recall_at_effort(LABELS, scores, EFFORT) == pytest.approx(1.0)
    assert effort_at_recall(LABELS, scores, EFFORT) == pytest.approx(0.1)


def test_the_worst_ranking_has_popt_zero():
    scores = [0.0, 0.5, 0.0, 0.5, 0.9]

    assert popt(LABELS, scores, [10, 10, 10, 10, 10]) == pytest.approx(0.0)


def test_classification_metrics_report_every_measure():
    result = classification_metrics(LABELS, [0.9, 0.1, 0.4, 0.2, 0.3], EFFORT)

    assert result["auc"] == pytest.approx(1.0)
    assert result["f1"] == pytest.approx(2 / 3)
    assert set(result) == {"auc", "f1", "mcc", "recall_at_20_effort", "effort_at_20_recall", "popt"}


def test_link_agreement_counts_pairs():
    agreement = link_agreement({("f", "a"), ("f", "b")}, {("f", "a"), ("g", "c")})

    assert (agreement.precision, agreement.recall) == (0.5, 0.5)
