"""Backtest of the calibrated Monte Carlo forecast on a git clone's release history.

For each release milestone and each checkpoint (a fraction of its real duration), forecast the
release date using only what was known at the checkpoint:

- throughput: non-merge commits per day over the `window_days` before the checkpoint;
- scope: the release's size is not known in advance, so it is drawn from the sizes of the previous
  `size_history` releases that are larger than what is already done (work added after the start is
  learnt from history, not read from the future);
- calibration: fitted on the forecasts made at the same checkpoint for the 20 most recent earlier
  releases, every one of which had shipped before this release started.

Scores per checkpoint: coverage of the calibrated 10th-90th percentile interval, MAE of the median
date in days, and the Brier score of P(released within the median past duration) against the
historical rate of that event. Pure module: no Django import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from benchmarks.forecasts.git_history import DAY, ReleaseMilestone, all_commit_times, daily_counts, release_milestones
from sprints.core.calibration import BacktestRecord, Calibration, fit_calibration
from sprints.core.montecarlo import SimulationInput, simulate_days

CHECKPOINTS: tuple[float, ...] = (0.0, 0.3, 0.5)


@dataclass(frozen=True)
class BacktestSettings:
    window_days: int = 90
    size_history: int = 20
    min_history: int = 8  # past releases needed before a release is forecast at all
    min_calibration: int = 8  # past resolved forecasts needed before a forecast is scored
    calibration_window: int = 20  # most recent resolved forecasts the calibration is fitted on
    trials: int = 2_000
    coverage: float = 0.8


@dataclass
class CheckpointScores:
    checkpoint: float
    covered: list[bool] = field(default_factory=list)
    abs_errors: list[float] = field(default_factory=list)
    brier: list[float] = field(default_factory=list)
    brier_reference: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, float | int | None]:
        n = len(self.covered)
        reference = float(np.mean(self.brier_reference)) if n else None
        brier = float(np.mean(self.brier)) if n else None
        skill = None
        if n and reference:
            skill = 1 - brier / reference
        return {
            "checkpoint": self.checkpoint,
            "n": n,
            "coverage_80": round(float(np.mean(self.covered)), 3) if n else None,
            "mae_days": round(float(np.mean(self.abs_errors)), 2) if n else None,
            "brier": round(brier, 4) if brier is not None else None,
            "brier_reference": round(reference, 4) if reference is not None else None,
            "brier_skill": round(skill, 3) if skill is not None else None,
        }


def forecast_days(
    milestone: ReleaseMilestone,
    past: list[ReleaseMilestone],
    commit_times: np.ndarray,
    moment: float,
    settings: BacktestSettings,
    seed: int,
) -> np.ndarray:
    """Raw simulated days from `moment` until the release, from history before `moment` only."""
    elapsed = moment - milestone.start
    # Releases that were still open after the same elapsed time, and how much work they still took:
    # the scope of this release is learnt from history conditionally on it being unfinished so far.
    ongoing = [m for m in past if m.end - m.start > elapsed]
    recent = ongoing[-settings.size_history :]
    remaining = np.array([m.size - m.done_by(m.start + elapsed) for m in recent], dtype=float)
    if remaining.size == 0:
        remaining = np.array([1.0])
    throughput = daily_counts(commit_times, end=moment, days=settings.window_days)
    if not throughput.any():
        throughput = np.array([0.0, 1.0 / settings.window_days])
    sim = SimulationInput(remaining=remaining, daily_throughput=throughput)
    return simulate_days(sim, trials=settings.trials, seed=seed)


def _quantiles(days: np.ndarray) -> np.ndarray:
    # inverted_cdf never interpolates, so trials that never finish (inf) give inf, not nan.
    return np.quantile(days, [0.1, 0.5, 0.9], method="inverted_cdf")


def _record(days: np.ndarray, actual_days: float) -> BacktestRecord:
    low, mid, high = _quantiles(days)
    return BacktestRecord(lower_days=low, median_days=mid, upper_days=high, actual_days=actual_days)


def run_git_backtest(
    repo: Path,
    *,
    checkpoints: tuple[float, ...] = CHECKPOINTS,
    settings: BacktestSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, object]:
    settings = settings or BacktestSettings()
    milestones = release_milestones(repo)
    commit_times = all_commit_times(repo)
    records: dict[float, list[BacktestRecord]] = {c: [] for c in checkpoints}
    scores = {c: CheckpointScores(c) for c in checkpoints}
    for index, milestone in enumerate(milestones):
        if progress:
            progress(index + 1, len(milestones))
        past = milestones[:index]
        if len(past) < settings.min_history:
            continue
        past_durations = np.array([m.duration_days for m in past])
        median_duration = float(np.median(past_durations))
        base_rate = float(np.mean(past_durations <= median_duration))
        event = milestone.duration_days <= median_duration
        for checkpoint in checkpoints:
            elapsed = checkpoint * milestone.duration_days
            moment = milestone.start + elapsed * DAY
            raw = forecast_days(milestone, past, commit_times, moment, settings, seed=index)
            actual = milestone.duration_days - elapsed
            calibration: Calibration = fit_calibration(
                records[checkpoint],
                coverage=settings.coverage,
                min_records=settings.min_calibration,
                window=settings.calibration_window,
            )
            if not calibration.is_identity:
                days = calibration.apply(raw)
                low, mid, high = _quantiles(days)
                target = scores[checkpoint]
                target.covered.append(bool(low <= actual <= high))
                target.abs_errors.append(abs(mid - actual) if np.isfinite(mid) else float("nan"))
                probability = float(np.mean(days <= median_duration - elapsed))
                target.brier.append((probability - event) ** 2)
                target.brier_reference.append((base_rate - event) ** 2)
            records[checkpoint].append(_record(raw, actual))
    return {
        "benchmark": "git_releases",
        "repository": repo.name,
        "milestones": len(milestones),
        "checkpoints": [scores[c].as_dict() for c in checkpoints],
    }
