"""Why a commit got its risk, in the repository's own terms: each factor that pushed the score
becomes a sentence built from the commit's feature and, where the scale depends on the
repository, its percentile among the repository's earlier commits ("adds 538 lines — more
than 97 % of commits here"). No Django."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from analysis.core.relative import RELATIVE_OF
from gitinsight.plural import counted

TOP_FACTORS = 5


def _share(percentile: float) -> int:
    # Floor, so "more than 97 %" is never an overstatement.
    return max(0, min(99, math.floor(percentile * 100)))


def _compared(features: Mapping[str, float], name: str, *, more: str = "more", fewer: str = "fewer",
              whose: str = "") -> str:
    """' — more than 97 % of commits here', or '' when the percentile is not known; `whose`
    names what is compared when it is not the commit itself ("the authors of ")."""
    percentile = features.get(RELATIVE_OF.get(name, ""))
    if percentile is None:
        return ""
    if percentile >= 0.6:
        return f" — {more} than {whose}{_share(percentile)} % of commits here"
    if percentile <= 0.4:
        return f" — {fewer} than {whose}{_share(1.0 - percentile)} % of commits here"
    return f" — about as {'much' if whose else 'many'} as {whose or 'a '}typical commit{'s' if whose else ''} here"


def factor_sentence(name: str, features: Mapping[str, float]) -> str:
    """One sentence about factor `name` of a commit with these stored features."""
    value = features.get(name, 0.0)
    if name == "la":
        return f"adds {counted(value, 'line', 'lines')}{_compared(features, 'la')}"
    if name == "ld":
        return f"deletes {counted(value, 'line', 'lines')}{_compared(features, 'ld')}"
    if name == "lt":
        return (f"changes files holding {counted(value, 'line', 'lines')} before it"
                f"{_compared(features, 'lt', more='larger', fewer='smaller')}")
    if name == "nf":
        return f"touches {counted(value, 'file', 'files')}{_compared(features, 'nf')}"
    if name == "nd":
        return f"touches {counted(value, 'directory', 'directories')}{_compared(features, 'nd')}"
    if name == "ns":
        return f"spans {counted(value, 'subsystem', 'subsystems')} (top-level directories)"
    if name == "entropy":
        if features.get("nf", 0.0) <= 1:
            return "changes a single file"
        return ("spreads its changes evenly over its files" if value >= 0.7
                else "concentrates its changes in a few of its files")
    if name == "fix":
        return "fixes a bug" if value >= 1 else "is not a bug fix"
    if name == "ndev":
        if value == 0:
            return "touches only files nobody changed before"
        return f"touches files changed by {counted(value, 'developer', 'developers')}{_compared(features, 'ndev')}"
    if name == "age":
        return (f"touches files last changed {value:,.0f} days before on average"
                f"{_compared(features, 'age', more='longer ago', fewer='more recently')}")
    if name == "nuc":
        return (f"touches files changed in {counted(value, 'earlier commit', 'earlier commits')}"
                f"{_compared(features, 'nuc')}")
    if name == "exp":
        if value == 0:
            return "first commit here by its author"
        return (f"its author made {counted(value, 'earlier commit', 'earlier commits')} here"
                f"{_compared(features, 'exp', whose='the authors of ')}")
    if name == "rexp":
        return (f"its author's recent activity here counts {value:,.1f} commits weighted by recency"
                f"{_compared(features, 'rexp', whose='the authors of ')}")
    if name == "sexp":
        if value == 0:
            return "first change to this subsystem by its author"
        return (f"its author made {counted(value, 'earlier change', 'earlier changes')} to this subsystem"
                f"{_compared(features, 'sexp', whose='the authors of ')}")
    if name == "la_per_lt":
        lt = features.get("lt", 0.0)
        if lt <= 0:
            return "adds new files"
        return f"adds {features.get('la', 0.0) / lt:.0%} to the size of the files it touches"
    if name == "ld_per_lt":
        lt = features.get("lt", 0.0)
        return f"deletes {features.get('ld', 0.0) / max(lt, 1.0):.0%} of the lines of the files it touches"
    if name == "lt_per_nf":
        return f"its files hold {features.get('lt', 0.0) / max(features.get('nf', 0.0), 1.0):,.0f} lines on average"
    return name


def top_factors(
    contributions: Mapping[str, float], features: Mapping[str, float], *, top: int = TOP_FACTORS
) -> list[dict[str, Any]]:
    """The factors that pushed the score most, each with its value, its contribution (log-odds),
    whether it raised or lowered the risk, and its sentence."""
    ranked = sorted(contributions.items(), key=lambda item: -abs(item[1]))[:top]
    return [
        {
            "feature": name,
            "value": float(features.get(name, _derived(name, features))),
            "contribution": round(float(contribution), 4),
            "raises": contribution > 0,
            "reason": factor_sentence(name, features),
        }
        for name, contribution in ranked
    ]


def _derived(name: str, features: Mapping[str, float]) -> float:
    lt = max(features.get("lt", 0.0), 1.0)
    if name == "la_per_lt":
        return features.get("la", 0.0) / lt
    if name == "ld_per_lt":
        return features.get("ld", 0.0) / lt
    if name == "lt_per_nf":
        return features.get("lt", 0.0) / max(features.get("nf", 0.0), 1.0)
    return 0.0


def standing_sentence(percentile: float | None) -> str:
    """Where a commit's risk stands among the repository's scored commits."""
    if percentile is None:
        return "too few commits of this repository are scored yet to compare with"
    return f"riskier than {_share(percentile)} % of this repository's commits"


def reasons_sentence(factors: list[dict[str, Any]], *, percentile: float | None = None, top: int = 3) -> str:
    """One line for a notice or a check: the standing, then what raised the risk most."""
    raising = [factor["reason"] for factor in factors if factor.get("raises")][:top]
    standing = standing_sentence(percentile) if percentile is not None else ""
    parts = [part for part in (standing, "; ".join(raising)) if part]
    text = ": ".join(parts) if raising and standing else "".join(parts)
    return (text[:1].upper() + text[1:]) if text else ""
