"""Evaluation measures for commit risk. Effort = lines added + deleted (Kamei 2013). For the
effort-aware measures commits are inspected in order of predicted risk per unit of effort
(score / effort, the defect-density ranking of Kamei 2013, Yang 2016 and JITLine), ties broken
by smaller effort first."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import f1_score, matthews_corrcoef, roc_auc_score


class MetricsError(ValueError):
    pass


def _arrays(labels: Sequence[int], scores: Sequence[float], effort: Sequence[float]):
    y = np.asarray(labels, dtype=float)
    s = np.asarray(scores, dtype=float)
    e = np.maximum(np.asarray(effort, dtype=float), 1.0)
    if not (len(y) == len(s) == len(e)):
        raise MetricsError("labels, scores and effort must have the same length")
    if y.sum() == 0:
        raise MetricsError("effort-aware measures need at least one positive commit")
    return y, s, e


def _curve(y: np.ndarray, e: np.ndarray, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative (effort fraction, recall) with the origin prepended."""
    effort = np.concatenate([[0.0], np.cumsum(e[order]) / e.sum()])
    recall = np.concatenate([[0.0], np.cumsum(y[order]) / y.sum()])
    return effort, recall


def _inspection_order(s: np.ndarray, e: np.ndarray) -> np.ndarray:
    return np.lexsort((e, -(s / e)))


def recall_at_effort(labels, scores, effort, *, fraction: float = 0.2) -> float:
    """Share of the positive commits found when inspecting ranked commits until `fraction` of
    the total effort is spent."""
    y, s, e = _arrays(labels, scores, effort)
    spent, recall = _curve(y, e, _inspection_order(s, e))
    within = np.nonzero(spent <= fraction + 1e-12)[0]
    return float(recall[within[-1]])


def effort_at_recall(labels, scores, effort, *, fraction: float = 0.2) -> float:
    """Share of the total effort spent before `fraction` of the positive commits are found."""
    y, s, e = _arrays(labels, scores, effort)
    spent, recall = _curve(y, e, _inspection_order(s, e))
    reached = np.nonzero(recall >= fraction - 1e-12)[0]
    return float(spent[reached[0]])


def popt(labels, scores, effort) -> float:
    """Kamei's P_opt: 1 - (area(optimal) - area(model)) / (area(optimal) - area(worst)), areas
    under the recall-vs-effort curve; the optimal model inspects positives first, smallest first."""
    y, s, e = _arrays(labels, scores, effort)

    def area(order: np.ndarray) -> float:
        spent, recall = _curve(y, e, order)
        return float(np.trapezoid(recall, spent))

    optimal = area(np.lexsort((e, -y)))
    worst = area(np.lexsort((-e, y)))
    model = area(_inspection_order(s, e))
    if optimal == worst:
        return 1.0
    return 1.0 - (optimal - model) / (optimal - worst)


def classification_metrics(labels, probabilities, effort, *, threshold: float = 0.5) -> dict[str, float]:
    y = np.asarray(labels, dtype=int)
    p = np.asarray(probabilities, dtype=float)
    predicted = (p >= threshold).astype(int)
    both_classes = len(set(y.tolist())) == 2
    return {
        "auc": float(roc_auc_score(y, p)) if both_classes else float("nan"),
        "f1": float(f1_score(y, predicted, zero_division=0)),
        "mcc": float(matthews_corrcoef(y, predicted)) if both_classes else 0.0,
        "recall_at_20_effort": recall_at_effort(y, p, effort),
        "effort_at_20_recall": effort_at_recall(y, p, effort),
        "popt": popt(y, p, effort),
    }


@dataclass(frozen=True)
class LinkAgreement:
    precision: float
    recall: float
    predicted: int
    reference: int


def link_agreement(predicted: Collection[tuple[str, str]], reference: Collection[tuple[str, str]]) -> LinkAgreement:
    """Precision and recall of (fix sha, inducing sha) pairs against a reference set."""
    found, truth = set(predicted), set(reference)
    hits = len(found & truth)
    return LinkAgreement(
        precision=hits / len(found) if found else 0.0,
        recall=hits / len(truth) if truth else 0.0,
        predicted=len(found),
        reference=len(truth),
    )
