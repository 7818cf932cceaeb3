"""A milestone's calibrated forecast from plain data (items, the team's completions, past milestones).
Pure module: no Django import; `sprints.services` turns database rows into these inputs.

Throughput is the team's completed work per day (closed issues and merged pull requests, weighted by
estimate labels) over the last `window_days`. Scope growth is the work added to past milestones after
their start, per day. Calibration is fitted on backtests of past milestones (forecasts made at 0, 30
and 50 % of each, from the history before that moment, against when it really closed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np

from sprints.core.calibration import BacktestRecord, Calibration, fit_calibration
from sprints.core.montecarlo import SimulationInput, simulate_days, summarise_days

MODEL_VERSION = "mc-throughput-scope-1+conformal-1"
ON_TRACK, AT_RISK, OFF_TRACK = "on_track", "at_risk", "off_track"
BACKTEST_CHECKPOINTS = (0.0, 0.3, 0.5)
SIZE_WORDS = {"xs": 1.0, "s": 2.0, "small": 2.0, "m": 3.0, "medium": 3.0, "l": 5.0, "large": 5.0, "xl": 8.0}
ESTIMATE_LABEL = re.compile(r"^(?:size|estimate|points?|sp|story[ _-]?points?|effort)\s*[:/=_ -]\s*(\S+)$", re.I)
DAY = timedelta(days=1)


def estimate_weight(labels: Sequence[str]) -> float:
    """Size of an item from labels such as `size: 3`, `points/5`, `size/M`, `estimate: XL`; 1 without."""
    for label in labels:
        match = ESTIMATE_LABEL.match(label.strip())
        if not match:
            continue
        value = match.group(1).lower()
        if value in SIZE_WORDS:
            return SIZE_WORDS[value]
        try:
            number = float(value)
        except ValueError:
            continue
        if number > 0:
            return number
    return 1.0


@dataclass(frozen=True)
class WorkItem:
    number: int
    created_at: datetime
    closed_at: datetime | None = None
    weight: float = 1.0

    def open_at(self, moment: datetime) -> bool:
        return self.created_at <= moment and (self.closed_at is None or self.closed_at > moment)


@dataclass(frozen=True)
class PastMilestone:
    start: datetime
    end: datetime
    items: tuple[WorkItem, ...]


@dataclass(frozen=True)
class ForecastRequest:
    as_of: datetime
    start: datetime
    due: date | None
    items: tuple[WorkItem, ...]
    completions: tuple[tuple[datetime, float], ...]  # the team's completed work: (when, weight)
    past_milestones: tuple[PastMilestone, ...] = ()
    trials: int = 10_000
    window_days: int = 42


@dataclass
class MilestoneForecast:
    completion_probability: float | None
    predicted_date: date | None
    lower_date: date | None
    upper_date: date | None
    status: str
    velocity_current: float  # work per week over the last 14 days
    velocity_required: float | None  # work per week needed to finish by the due date
    remaining: float
    scope: float
    burndown_ideal: list[dict[str, object]]
    burndown_actual: list[dict[str, object]]
    distribution: list[dict[str, object]]
    calibration: dict[str, float | int]
    throughput_sample: list[float]
    reasoning: str
    model_version: str = MODEL_VERSION
    days: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)


def daily_throughput(completions: Sequence[tuple[datetime, float]], *, end: datetime, days: int) -> np.ndarray:
    """Completed work on each of the `days` days before `end`, oldest first."""
    counts = np.zeros(days)
    for moment, weight in completions:
        age = (end - moment) / DAY
        if 0 <= age < days:
            counts[days - 1 - int(age)] += weight
    return counts


def scope_growth_history(milestones: Sequence[PastMilestone], *, limit: int = 10) -> np.ndarray:
    """Work added per day after the start, over the lifetime of each of the last `limit` milestones."""
    series: list[np.ndarray] = []
    for milestone in milestones[-limit:]:
        length = max(1, int(np.ceil((milestone.end - milestone.start) / DAY)))
        added = np.zeros(length)
        for item in milestone.items:
            offset = (item.created_at - milestone.start) / DAY
            if 0 < offset <= length:
                added[min(length - 1, int(offset))] += item.weight
        series.append(added)
    return np.concatenate(series) if series else np.zeros(0)


def _simulation(
    items: Sequence[WorkItem],
    completions: Sequence[tuple[datetime, float]],
    growth: np.ndarray,
    moment: datetime,
    window_days: int,
) -> SimulationInput:
    remaining = sum(item.weight for item in items if item.open_at(moment))
    throughput = daily_throughput(completions, end=moment, days=window_days)
    if not throughput.any():
        # A team with no completions in the window still moves; assume one item per window.
        throughput = np.concatenate([np.zeros(window_days - 1), [1.0]])
    return SimulationInput(remaining=remaining, daily_throughput=throughput, daily_scope_growth=growth)


def backtest_records(request: ForecastRequest, *, trials: int = 2_000) -> list[BacktestRecord]:
    """Raw forecasts of each past milestone at 0/30/50 % of its life, from what was known then,
    against its real close; ordered by the moment of the forecast."""
    dated: list[tuple[datetime, BacktestRecord]] = []
    past = sorted(request.past_milestones, key=lambda m: m.end)
    for index, milestone in enumerate(past):
        growth = scope_growth_history(past[:index])
        for checkpoint in BACKTEST_CHECKPOINTS:
            moment = milestone.start + (milestone.end - milestone.start) * checkpoint
            sim = _simulation(milestone.items, request.completions, growth, moment, request.window_days)
            days = simulate_days(sim, trials=trials, seed=index)
            low, mid, high = np.quantile(days, [0.1, 0.5, 0.9], method="inverted_cdf")
            actual = (milestone.end - moment) / DAY
            dated.append((moment, BacktestRecord(low, mid, high, actual)))
    dated.sort(key=lambda pair: pair[0])
    return [record for _, record in dated]


def burndown(request: ForecastRequest, *, max_points: int = 90) -> tuple[list[dict], list[dict]]:
    """Ideal line (scope at start down to zero on the due date) and the actual remaining, completed
    and total scope per day (the burn-up's scope line)."""
    start_day, today = request.start.date(), request.as_of.date()
    span = max(1, (today - start_day).days)
    step = max(1, int(np.ceil(span / max_points)))
    actual = []
    for offset in [*range(0, span, step), span]:
        day = start_day + timedelta(days=offset)
        moment = datetime.combine(day, datetime.max.time(), tzinfo=request.as_of.tzinfo)
        scope = sum(i.weight for i in request.items if i.created_at <= moment)
        done = sum(i.weight for i in request.items if i.closed_at is not None and i.closed_at <= moment)
        actual.append({"date": day.isoformat(), "remaining": scope - done, "completed": done, "scope": scope})
    ideal = []
    if request.due is not None and request.due > start_day:
        initial = actual[0]["scope"] if actual else 0.0
        length = (request.due - start_day).days
        ideal_step = max(1, int(np.ceil(length / max_points)))
        for offset in [*range(0, length, ideal_step), length]:
            ideal.append(
                {
                    "date": (start_day + timedelta(days=offset)).isoformat(),
                    "remaining": round(initial * (1 - offset / length), 2),
                }
            )
    return ideal, actual


def status_for(probability: float | None) -> str:
    if probability is None or probability >= 0.8:
        return ON_TRACK
    return AT_RISK if probability >= 0.5 else OFF_TRACK


def forecast_milestone(request: ForecastRequest) -> MilestoneForecast:
    growth = scope_growth_history(sorted(request.past_milestones, key=lambda m: m.end))
    sim = _simulation(request.items, request.completions, growth, request.as_of, request.window_days)
    calibration: Calibration = fit_calibration(backtest_records(request))
    raw = simulate_days(sim, trials=request.trials, seed=0)
    # Nothing left means done today; calibration corrects forecasts of open work only.
    days = calibration.apply(raw) if float(np.asarray(sim.remaining)) > 0 else raw
    as_of = request.as_of.date()
    summary = summarise_days(days, as_of=as_of, due_date=request.due)
    remaining = float(np.asarray(sim.remaining))
    scope = sum(item.weight for item in request.items)
    recent = daily_throughput(request.completions, end=request.as_of, days=14)
    days_left = (request.due - as_of).days if request.due else None
    required = None
    if days_left is not None:
        required = round(remaining / max(days_left, 1) * 7, 2)
    ideal, actual = burndown(request)
    reasoning = _reasoning(summary.completion_probability, remaining, sim, growth, calibration, request.due)
    return MilestoneForecast(
        completion_probability=summary.completion_probability,
        predicted_date=summary.predicted_date,
        lower_date=summary.lower_date,
        upper_date=summary.upper_date,
        status=status_for(summary.completion_probability),
        velocity_current=round(float(recent.mean()) * 7, 2),
        velocity_required=required,
        remaining=remaining,
        scope=scope,
        burndown_ideal=ideal,
        burndown_actual=actual,
        distribution=summary.distribution,
        calibration=calibration.as_dict(),
        throughput_sample=[float(x) for x in sim.daily_throughput],
        reasoning=reasoning,
        days=days,
    )


def _reasoning(
    probability: float | None,
    remaining: float,
    sim: SimulationInput,
    growth: np.ndarray,
    calibration: Calibration,
    due: date | None,
) -> str:
    rate = float(np.mean(sim.daily_throughput))
    added = float(np.mean(growth)) if growth.size else 0.0
    parts = [
        f"{remaining:g} units of work remain; the team completed {rate:.2f} per day over the last "
        f"{len(sim.daily_throughput)} days, and past milestones grew by {added:.2f} per day after their start."
    ]
    if calibration.is_identity:
        parts.append("Too few past milestones to calibrate: the interval is the raw simulation's.")
    else:
        parts.append(
            f"Calibrated on {calibration.n_records} backtests of past milestones "
            f"(shift {calibration.shift:+.2f} log-days, tails widened x{calibration.widen_low:g} / "
            f"x{calibration.widen_high:g})."
        )
    if probability is not None and due is not None:
        parts.append(f"{100 * probability:.0f} % of simulated futures finish by {due.isoformat()}.")
    return " ".join(parts)


def probability_after_removal(
    forecast: MilestoneForecast, request: ForecastRequest, *, trials: int = 4_000
) -> Callable[[float], float]:
    """P(done by the due date) as a function of work removed from the milestone, with the same
    throughput, growth, calibration and random draws for every call (so differences are the removal's)."""
    if request.due is None:
        raise ValueError("a milestone without a due date has no completion probability")
    growth = scope_growth_history(sorted(request.past_milestones, key=lambda m: m.end))
    sim = _simulation(request.items, request.completions, growth, request.as_of, request.window_days)
    calibration = Calibration(
        shift=float(forecast.calibration.get("shift", 0.0)),
        widen_low=float(forecast.calibration.get("widen_low", 1.0)),
        widen_high=float(forecast.calibration.get("widen_high", 1.0)),
        n_records=int(forecast.calibration.get("n_records", 0)),
    )
    horizon = (request.due - request.as_of.date()).days

    def probability(removed: float) -> float:
        left = float(np.asarray(sim.remaining)) - removed
        if left <= 0:
            return 1.0
        reduced = SimulationInput(
            remaining=left,
            daily_throughput=sim.daily_throughput,
            daily_scope_growth=sim.daily_scope_growth,
        )
        days = calibration.apply(simulate_days(reduced, trials=trials, seed=1))
        return float(np.mean(days <= horizon))

    return probability
