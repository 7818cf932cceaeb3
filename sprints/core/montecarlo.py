"""Monte Carlo completion forecast over a team's historical throughput, with explicit scope growth.

Each trial walks forward day by day: it completes a day's worth of work drawn from the historical
daily throughput (bootstrapped), and the milestone grows by a day's worth of added work drawn from
the historical daily scope growth. The trial finishes on the first day its cumulative net progress
reaches the remaining work. All trials are simulated at once as a (trials x days) matrix, which is
what keeps 10,000 trials well under 200 ms. Pure module: numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

DEFAULT_TRIALS = 10_000
MAX_HORIZON_DAYS = 3 * 365


class ForecastInputError(ValueError):
    """The inputs cannot produce a forecast (e.g. no throughput history at all)."""


@dataclass(frozen=True)
class SimulationInput:
    """What a forecast needs, as plain numbers.

    remaining: work still open now, either one number or samples of it (an unknown scope is given
        as samples learnt from past milestones; each trial draws one).
    daily_throughput: work completed on each past calendar day (zeros included), oldest first.
    daily_scope_growth: work added to a milestone on each past day after its start; empty means the
        scope is fixed.
    """

    remaining: float | np.ndarray
    daily_throughput: np.ndarray
    daily_scope_growth: np.ndarray = field(default_factory=lambda: np.zeros(0))


def _horizon(remaining_mean: float, throughput: np.ndarray, growth: np.ndarray) -> int:
    """Days to simulate: generous for slow teams, bounded so a stalled team costs no more than the cap."""
    net = float(throughput.mean() - (growth.mean() if growth.size else 0.0))
    if net <= 0:
        return MAX_HORIZON_DAYS
    return int(min(MAX_HORIZON_DAYS, max(30, np.ceil(4 * remaining_mean / net) + 14)))


def simulate_days(
    sim: SimulationInput, *, trials: int = DEFAULT_TRIALS, seed: int | None = 0, horizon_days: int | None = None
) -> np.ndarray:
    """Days from now until each trial completes (float; 0 when nothing remains; `inf` when a trial
    has not finished within the horizon, i.e. the team falls behind its own scope growth)."""
    throughput = np.asarray(sim.daily_throughput, dtype=float)
    growth = np.asarray(sim.daily_scope_growth, dtype=float)
    if throughput.size == 0:
        raise ForecastInputError("no throughput history: at least one past day is needed")
    if (throughput < 0).any() or (growth < 0).any():
        raise ForecastInputError("throughput and scope growth must not be negative")
    rng = np.random.default_rng(seed)
    remaining_samples = np.atleast_1d(np.asarray(sim.remaining, dtype=float))
    if remaining_samples.size == 1:
        remaining = np.full(trials, remaining_samples[0])
    else:
        remaining = rng.choice(remaining_samples, size=trials)
    horizon = horizon_days or _horizon(float(remaining.mean()), throughput, growth)
    # float32 halves the memory traffic of the (trials x horizon) matrix; counts stay exact far below 2**24.
    progress = rng.choice(throughput.astype(np.float32), size=(trials, horizon))
    if growth.size:
        progress -= rng.choice(growth.astype(np.float32), size=(trials, horizon))
    np.cumsum(progress, axis=1, out=progress)
    reached = progress >= remaining[:, None].astype(np.float32)
    finished = reached.any(axis=1)
    days = np.where(finished, reached.argmax(axis=1) + 1, np.inf).astype(float)
    days[remaining <= 0] = 0.0
    return days


@dataclass(frozen=True)
class Forecast:
    """Summary of simulated completion days, as dates from `as_of`."""

    as_of: date
    completion_probability: float | None  # P(done by due date); None without a due date
    predicted_date: date | None  # median; None when fewer than half of the trials finish
    lower_date: date | None  # 10th percentile
    upper_date: date | None  # 90th percentile; None when more than 10 % of the trials never finish
    finished_share: float
    distribution: list[dict[str, object]]  # [{"date": iso, "probability": p, "cumulative": c}, ...]


def _quantile_date(as_of: date, days: np.ndarray, q: float) -> date | None:
    value = float(np.quantile(days, q, method="inverted_cdf"))
    if not np.isfinite(value):
        return None
    return as_of + timedelta(days=int(np.ceil(value)))


def distribution_by_date(as_of: date, days: np.ndarray, *, max_points: int = 60) -> list[dict[str, object]]:
    """Probability of finishing on each day (binned to at most `max_points` bins) and the cumulative
    probability, for plotting. Trials that never finish only lower the cumulative curve."""
    finite = days[np.isfinite(days)]
    if finite.size == 0:
        return []
    first, last = int(np.floor(finite.min())), int(np.ceil(finite.max()))
    width = max(1, int(np.ceil((last - first + 1) / max_points)))
    edges = np.arange(first, last + width + 1, width)
    counts, _ = np.histogram(finite, bins=edges)
    cumulative = np.cumsum(counts) / days.size
    return [
        {
            "date": (as_of + timedelta(days=int(edge + width - 1))).isoformat(),
            "probability": round(float(count / days.size), 4),
            "cumulative": round(float(cum), 4),
        }
        for edge, count, cum in zip(edges[:-1], counts, cumulative, strict=True)
    ]


def summarise_days(days: np.ndarray, *, as_of: date, due_date: date | None = None) -> Forecast:
    probability = None
    if due_date is not None:
        probability = float(np.mean(days <= (due_date - as_of).days))
    return Forecast(
        as_of=as_of,
        completion_probability=probability,
        predicted_date=_quantile_date(as_of, days, 0.5),
        lower_date=_quantile_date(as_of, days, 0.1),
        upper_date=_quantile_date(as_of, days, 0.9),
        finished_share=float(np.mean(np.isfinite(days))),
        distribution=distribution_by_date(as_of, days),
    )


def weighted_throughput(closed_on: list[date], weights: list[float], *, start: date, end: date) -> np.ndarray:
    """Daily completed work between `start` and `end` inclusive (zeros for quiet days). Weights are the
    items' sizes (1 per item, or an estimate label's points)."""
    if end < start:
        raise ForecastInputError(f"history window ends ({end}) before it starts ({start})")
    daily = np.zeros((end - start).days + 1)
    for day, weight in zip(closed_on, weights, strict=True):
        if start <= day <= end:
            daily[(day - start).days] += weight
    return daily
