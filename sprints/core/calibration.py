"""Calibration of Monte Carlo completion forecasts, learnt from a repository's own past milestones.

A raw forecast is usually too narrow (history is bootstrapped as if days were independent) and
often biased (releases slip). We keep, for every past milestone, the raw forecast quantiles and the
actual outcome (a "backtest record"), then fit in log(1 + days) space:

- `shift`: the median log error, so the calibrated median is unbiased on the past;
- `widen_low` / `widen_high`: factors on the distance from the median to the raw 10th / 90th
  percentile, chosen (split-conformal, with the finite-sample correction) so that at most 10 % of
  outcomes fall below / above the interval.

The fit only ever sees records handed to it; callers pass records of milestones that had finished
before the forecast's own date, so there is no look-ahead. Pure module: numpy only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Floor on the log-spread between median and a tail, so a degenerate raw forecast (all trials on
#: the same day) can still be widened.
MIN_LOG_SPREAD = 0.05
MIN_WIDEN, MAX_WIDEN = 0.1, 20.0


@dataclass(frozen=True)
class BacktestRecord:
    """One past forecast, resolved: raw quantiles and the actual outcome, in days from the forecast."""

    lower_days: float
    median_days: float
    upper_days: float
    actual_days: float


@dataclass(frozen=True)
class Calibration:
    shift: float = 0.0
    widen_low: float = 1.0
    widen_high: float = 1.0
    n_records: int = 0

    @property
    def is_identity(self) -> bool:
        return self.n_records == 0

    def apply(self, days: np.ndarray) -> np.ndarray:
        """Map simulated days to calibrated days, monotonically, around the sample median. Trials
        that never finish (inf) stay inf."""
        days = np.asarray(days, dtype=float)
        if self.is_identity:
            return days.copy()
        finite = np.isfinite(days)
        z = np.log1p(np.where(finite, days, 0.0))
        median = float(np.quantile(days, 0.5, method="inverted_cdf"))
        if not np.isfinite(median):  # most trials never finish: nothing to recentre on
            return days.copy()
        centre = float(np.log1p(median))
        deviation = z - centre
        factor = np.where(deviation < 0, self.widen_low, self.widen_high)
        calibrated = np.expm1(np.maximum(centre + self.shift + factor * deviation, 0.0))
        return np.where(finite, calibrated, np.inf)

    def as_dict(self) -> dict[str, float | int]:
        return {
            "shift": round(self.shift, 4),
            "widen_low": self.widen_low,
            "widen_high": self.widen_high,
            "n_records": self.n_records,
        }


def _log_parts(records: Sequence[BacktestRecord]) -> tuple[np.ndarray, ...]:
    centre = np.log1p([r.median_days for r in records])
    low_spread = np.maximum(centre - np.log1p([r.lower_days for r in records]), MIN_LOG_SPREAD)
    upper = np.array([r.upper_days for r in records], dtype=float)
    finite = np.isfinite(upper)
    high_spread = np.where(finite, np.maximum(np.log1p(np.where(finite, upper, 0.0)) - centre, MIN_LOG_SPREAD), np.inf)
    actual = np.log1p([r.actual_days for r in records])
    return centre, low_spread, high_spread, actual


def fit_calibration(
    records: Sequence[BacktestRecord], *, coverage: float = 0.8, min_records: int = 8, window: int | None = 20
) -> Calibration:
    """Fit shift and tail widening on past records, oldest first; only the `window` most recent are
    used, because a team's rhythm drifts and old releases mislead more than they inform. With fewer
    than `min_records` the raw forecast is kept (identity): too few outcomes to learn from."""
    if not 0 < coverage < 1:
        raise ValueError(f"coverage must be between 0 and 1, got {coverage}")
    if window is not None:
        records = records[-window:]
    if len(records) < min_records:
        return Calibration()
    centre, low_spread, high_spread, actual = _log_parts(records)
    shift = float(np.median(actual - centre))
    shifted = centre + shift
    tail = (1 - coverage) / 2
    # Split-conformal rule per tail: the factor is the ceil((n+1)(1-tail))-th smallest normalised miss,
    # the finite-sample correction that makes coverage hold for the next, unseen milestone.
    level = min(1.0, np.ceil((len(records) + 1) * (1 - tail)) / len(records))
    low_scores = (shifted - actual) / low_spread
    with np.errstate(invalid="ignore"):
        high_scores = np.where(np.isfinite(high_spread), (actual - shifted) / high_spread, -np.inf)
    widen_low = float(np.clip(np.quantile(low_scores, level, method="inverted_cdf"), MIN_WIDEN, MAX_WIDEN))
    widen_high = float(np.clip(np.quantile(high_scores, level, method="inverted_cdf"), MIN_WIDEN, MAX_WIDEN))
    return Calibration(
        shift=shift, widen_low=round(widen_low, 4), widen_high=round(widen_high, 4), n_records=len(records)
    )
