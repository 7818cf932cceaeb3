"""Calibrated commit-risk probabilities, and how to check them against labels that are still
being discovered.

A commit's bugs are found over years: of the commits that will ever be blamed by a fix,
about a fifth are blamed within six months and most within four years (across the six Apache
projects the global model learns from). Labels taken on a given date are therefore
right-censored: a commit that was two years old on that date has had only part of its bugs
found. The probabilities GitInsight shows are the chance that a commit is bug-inducing once
its bugs have had time to be found; the *discovery curve* says which share of them a label
taken `age` years after the commit can show. Calibration is fitted, and measured, on
p x found_share(age): what the labels can see.

Plain numpy and scipy; no Django."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

SECONDS_PER_YEAR = 365.25 * 86_400
ECE_BINS = 10


def expected_calibration_error(labels, probabilities, *, bins: int = ECE_BINS) -> float:
    """ECE with `bins` equal-width bins: the mean, weighted by the share of commits in each
    bin, of |observed rate - mean predicted probability|."""
    y = np.asarray(labels, dtype=float)
    p = np.clip(np.asarray(probabilities, dtype=float), 0.0, 1.0)
    if len(y) == 0:
        return float("nan")
    index = np.minimum((p * bins).astype(int), bins - 1)
    error = 0.0
    for b in range(bins):
        chosen = index == b
        if chosen.any():
            error += chosen.mean() * abs(y[chosen].mean() - p[chosen].mean())
    return float(error)


@dataclass(frozen=True)
class EceConsistency:
    """What ECE a perfectly calibrated model would show on the same commits: labels drawn
    from its own probabilities (consistency resampling, Bröcker & Smith 2007). On a few hundred
    commits that is not near 0: `median` and `p90` of those ECEs, and `p_value`, the share of
    them at least as large as the one measured. A small `p_value` says the probabilities are
    off; a large one that this test set cannot tell them from calibrated ones."""

    median: float
    p90: float
    p_value: float


def ece_consistency(probabilities, measured: float, *, bins: int = ECE_BINS, draws: int = 2000,
                    seed: int = 0) -> EceConsistency:
    p = np.clip(np.asarray(probabilities, dtype=float), 0.0, 1.0)
    if len(p) == 0:
        return EceConsistency(float("nan"), float("nan"), float("nan"))
    index = np.minimum((p * bins).astype(int), bins - 1)
    # A bin's commits, its size and mean probability do not change between draws: only the
    # labels do, so each draw's ECE is its labels' count per bin against the bin's mean.
    one_hot = np.zeros((len(p), bins))
    one_hot[np.arange(len(p)), index] = 1.0
    sizes = one_hot.sum(axis=0)
    used = sizes > 0
    mean_probability = (p @ one_hot)[used] / sizes[used]
    labels = np.random.default_rng(seed).random((draws, len(p))) < p
    rates = (labels @ one_hot)[:, used] / sizes[used]
    errors = (np.abs(rates - mean_probability) * (sizes[used] / len(p))).sum(axis=1)
    # A hair of tolerance: the measured ECE and a draw's can differ in the last bit alone.
    return EceConsistency(median=float(np.median(errors)), p90=float(np.percentile(errors, 90)),
                          p_value=float(np.mean(errors >= measured - 1e-12)))


@dataclass(frozen=True)
class DiscoveryCurve:
    """found_share(age): the share of a bug-inducing commit's bugs found within `age` years,
    piecewise linear through `points` ((age, share) pairs, ages increasing, shares
    non-decreasing up to 1); 1 after the last point."""

    points: tuple[tuple[float, float], ...] = ((0.0, 1.0),)

    def found_share(self, ages_years) -> np.ndarray:
        ages = np.maximum(np.asarray(ages_years, dtype=float), 0.0)
        xs = np.array([age for age, _ in self.points] + [self.points[-1][0] + 1e-9])
        ys = np.array([share for _, share in self.points] + [1.0])
        return np.interp(ages, xs, ys, right=1.0)

    def to_json(self) -> list[list[float]]:
        return [[round(age, 4), round(share, 4)] for age, share in self.points]

    @classmethod
    def from_json(cls, points: Sequence[Sequence[float]] | None) -> DiscoveryCurve:
        if not points:
            return cls()
        return cls(points=tuple((float(age), float(share)) for age, share in points))


#: no censoring: every label is final (synthetic data, or labels from a complete oracle)
NO_CENSORING = DiscoveryCurve()


def ages_at(timestamps, as_of: int) -> np.ndarray:
    """Age in years of commits (Unix seconds) on the labels' date `as_of`."""
    return (as_of - np.asarray(timestamps, dtype=float)) / SECONDS_PER_YEAR


def discovery_curve_fit(
    groups: Sequence[tuple[np.ndarray, np.ndarray]],
    *,
    edges: Sequence[float] = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0),
    mature: tuple[float, float] = (4.0, 8.0),
    min_commits: int = 30,
) -> DiscoveryCurve:
    """Estimate the curve from labelled projects, each group being (ages of its commits on the
    labels' date, labels). Per project, the bug-inducing rate of the commits of each age band is
    divided by the rate of its mature commits (`mature` years old), which removes the project's
    own base rate; the curve takes the median of these ratios over the projects with at least
    `min_commits` commits in the band (one project's odd history moves a median little), made
    non-decreasing and capped at 1, and reaches 1 at the mature age."""
    bands = list(zip(edges, [*edges[1:], mature[0]], strict=True))
    ratios: list[list[float]] = [[] for _ in bands]
    for ages, labels in groups:
        ages, labels = np.asarray(ages, dtype=float), np.asarray(labels, dtype=float)
        old = (ages >= mature[0]) & (ages < mature[1])
        if old.sum() < min_commits or labels[old].sum() == 0:
            continue
        reference = labels[old].mean()
        for i, (low, high) in enumerate(bands):
            chosen = (ages >= low) & (ages < high)
            if chosen.sum() >= min_commits:
                ratios[i].append(labels[chosen].mean() / reference)
    points: list[tuple[float, float]] = []
    share = 0.0
    for (low, high), values in zip(bands, ratios, strict=True):
        if values:
            share = min(max(share, float(np.median(values))), 1.0)
            points.append(((low + high) / 2, share))
    points.append((mature[0], 1.0))
    return DiscoveryCurve(points=tuple(points))


@dataclass(frozen=True)
class PlattCalibrator:
    """p = sigmoid(slope * margin + intercept): the probability of being bug-inducing once the
    commit's bugs have had time to be found."""

    slope: float = 1.0
    intercept: float = 0.0

    def apply(self, margins: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.slope * np.asarray(margins, dtype=float) + self.intercept)))


def logistic_fit(inputs, labels, *, found_share=None) -> tuple[np.ndarray, float]:
    """Maximum-likelihood weights and intercept of p = sigmoid(inputs @ weights + intercept),
    where a label could only be 1 with probability p x found_share (1 for every commit when not
    given). A light pull towards weights 1 and intercept 0 keeps small or one-sided samples sane."""
    x = np.asarray(inputs, dtype=float)
    x = x.reshape(len(x), -1)
    y = np.asarray(labels, dtype=float)
    g = np.ones(len(x)) if found_share is None else np.clip(np.asarray(found_share, dtype=float), 1e-3, 1.0)
    k = x.shape[1]

    def loss(params: np.ndarray) -> float:
        p = np.clip(g / (1.0 + np.exp(-(x @ params[:k] + params[k]))), 1e-9, 1 - 1e-9)
        penalty = 0.5 * (((params[:k] - 1.0) ** 2).sum() + params[k] ** 2)
        return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).sum() + penalty)

    # A weight below zero would turn a ranking upside down: never what the samples are for.
    bounds = [(0.0, 10.0)] * k + [(-20.0, 20.0)]
    result = minimize(loss, x0=np.append(np.ones(k), 0.0), method="L-BFGS-B", bounds=bounds)
    return result.x[:k].astype(float), float(result.x[k])


def platt_fit(margins, labels, *, found_share=None) -> PlattCalibrator:
    """Platt scaling of `margins` to `labels`, fitted on what the labels could show."""
    weights, intercept = logistic_fit(np.asarray(margins, dtype=float).reshape(-1, 1), labels,
                                      found_share=found_share)
    return PlattCalibrator(slope=float(weights[0]), intercept=intercept)
