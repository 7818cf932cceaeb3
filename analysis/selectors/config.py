"""Commit-risk settings: project defaults from `settings.ANALYSIS_RISK` (a dict, optional),
overridden per repository by `Repository.settings["risk"]`."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from django.conf import settings

from analysis.core.labels import DEFAULT_MATURITY_DAYS


@dataclass(frozen=True)
class RiskConfig:
    #: probability at or above which a commit is high / medium risk
    high_threshold: float = 0.7
    medium_threshold: float = 0.4
    #: share of the repository's scored commits a commit must be riskier than to be high /
    #: medium risk whatever its probability, so a model never leaves every commit low
    high_percentile: float = 0.9
    medium_percentile: float = 0.7
    maturity_days: int = DEFAULT_MATURITY_DAYS
    #: share of the labelled examples, latest first, held out to compare model versions
    holdout_share: float = 0.2
    min_training_examples: int = 50
    #: regular expression with one group capturing a tracker key, e.g. r"\b(ZOOKEEPER-\d+)\b"
    tracker_key_pattern: str = ""
    #: GitHub issue labels that mark a bug
    bug_labels: tuple[str, ...] = ("bug", "type: bug", "kind/bug")
    use_keywords: bool = True

    def risk_level(self, probability: float, percentile: float | None = None) -> str:
        """From the probability, and from the commit's standing among the repository's scored
        commits when known (`percentile`: the share of them with a lower risk)."""
        standing = -1.0 if percentile is None else percentile
        if probability >= self.high_threshold or standing >= self.high_percentile:
            return "high"
        if probability >= self.medium_threshold or standing >= self.medium_percentile:
            return "medium"
        return "low"


def _known(values: dict[str, Any]) -> dict[str, Any]:
    names = {field.name for field in fields(RiskConfig)}
    known = {key: value for key, value in values.items() if key in names}
    if "bug_labels" in known:
        known["bug_labels"] = tuple(known["bug_labels"])
    return known


def risk_config(repository_settings: dict[str, Any] | None = None) -> RiskConfig:
    config = replace(RiskConfig(), **_known(getattr(settings, "ANALYSIS_RISK", {}) or {}))
    return replace(config, **_known((repository_settings or {}).get("risk", {}) or {}))
