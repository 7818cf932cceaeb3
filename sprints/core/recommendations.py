"""Recommendations from a forecast and its risks, including which issues to move out of the milestone
so that it reaches a target completion probability. Pure module: no Django import."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from gitinsight.plural import counted
from sprints.core import risks as r

TARGET_PROBABILITY = 0.85
PRIORITY_LABELS = {"critical": 0, "p0": 0, "high": 1, "p1": 1, "medium": 2, "p2": 2, "low": 3, "p3": 3}


@dataclass(frozen=True)
class Recommendation:
    category: str
    priority: int  # 1-5, 5 highest
    action: str
    rationale: str
    expected_impact: str
    effort_estimate: int  # person-hours
    risk_type: str | None = None
    issues: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class DescopeCandidate:
    number: int
    weight: float
    labels: tuple[str, ...] = ()
    assigned: bool = False
    blocks_others: bool = False  # other open milestone work depends on it: moving it out breaks them


@dataclass(frozen=True)
class DescopePlan:
    issues: list[int]
    removed_weight: float
    probability_before: float
    probability_after: float
    reaches_target: bool


def _priority_rank(labels: Sequence[str]) -> int:
    """Lower is more important; unlabelled counts as medium."""
    ranks = [
        PRIORITY_LABELS[name]
        for label in labels
        for name in [label.lower().split(":")[-1].strip()]
        if name in PRIORITY_LABELS
    ]
    return min(ranks) if ranks else 2


def descope_order(candidates: Sequence[DescopeCandidate]) -> list[DescopeCandidate]:
    """Move out first what matters least and frees most: never blockers of other work; then the lowest
    priority, unassigned before assigned (nobody's work is lost), larger before smaller."""
    movable = [c for c in candidates if not c.blocks_others]
    return sorted(movable, key=lambda c: (-_priority_rank(c.labels), c.assigned, -c.weight, c.number))


def descope_plan(
    candidates: Sequence[DescopeCandidate],
    probability_after_removing: Callable[[float], float],
    *,
    target: float = TARGET_PROBABILITY,
    max_items: int = 25,
) -> DescopePlan:
    """Greedy search over the Monte Carlo: remove candidates in `descope_order` one at a time, re-running
    the simulation after each, until P(done by due) reaches `target`. Then drop any removal that is not
    needed (a later, bigger item may have made an earlier one unnecessary)."""
    before = probability_after_removing(0.0)
    if before >= target:
        return DescopePlan([], 0.0, before, before, True)
    chosen: list[DescopeCandidate] = []
    probability = before
    for candidate in descope_order(candidates)[:max_items]:
        chosen.append(candidate)
        probability = probability_after_removing(sum(c.weight for c in chosen))
        if probability >= target:
            break
    if probability >= target:
        for candidate in list(chosen):
            trial = [c for c in chosen if c is not candidate]
            trial_probability = probability_after_removing(sum(c.weight for c in trial))
            if trial_probability >= target:
                chosen, probability = trial, trial_probability
    return DescopePlan(
        issues=[c.number for c in chosen],
        removed_weight=sum(c.weight for c in chosen),
        probability_before=before,
        probability_after=probability,
        reaches_target=probability >= target,
    )


def descope_recommendation(plan: DescopePlan, *, target: float = TARGET_PROBABILITY) -> Recommendation | None:
    if not plan.issues:
        return None
    numbers = ", ".join(f"#{n}" for n in plan.issues)
    outcome = "reaches" if plan.reaches_target else "still falls short of"
    return Recommendation(
        category="scope",
        priority=5 if plan.probability_before < 0.5 else 4,
        action=f"Move {numbers} out of this milestone.",
        rationale=(
            f"The milestone has a {100 * plan.probability_before:.0f} % chance to ship by its due date; "
            f"these are the lowest-priority items that no other open work depends on."
        ),
        expected_impact=(
            f"Completion probability {100 * plan.probability_before:.0f} % -> {100 * plan.probability_after:.0f} % "
            f"({outcome} the {100 * target:.0f} % target)."
        ),
        effort_estimate=max(1, math.ceil(0.25 * len(plan.issues))),
        issues=plan.issues,
    )


def _for_risk(risk: r.Risk) -> Recommendation | None:
    priority = {"critical": 5, "high": 4, "medium": 3, "low": 2}[risk.severity]
    issues = ", ".join(f"#{n}" for n in risk.affected_issues[:10])
    impact = (f"Avoids up to {counted(risk.impact_days, 'day', 'days')} of delay "
              f"({100 * risk.probability:.0f} % likely).")
    table = {
        r.DEPENDENCY_BLOCKER: (
            "prioritization",
            f"Resolve the blockers of {issues} first.",
            2 * len(risk.affected_issues),
        ),
        r.VELOCITY_DECLINE: (
            "resource_allocation",
            "Find what slowed the team (leave, interrupts, support load) and protect milestone time.",
            2,
        ),
        r.SCOPE_CREEP: ("scope", f"Review the items added after the start ({issues}); defer what is not essential.", 1),
        r.STALE_PR: ("process", f"Ping the authors of {issues} or close them.", len(risk.affected_issues)),
        r.FAILING_CI: ("quality", f"Fix the failing checks on {issues}.", 2 * len(risk.affected_issues)),
        r.HIGH_RISK_CHANGES: (
            "quality",
            f"Ask for a second, careful review of {issues} and add tests.",
            2 * len(risk.affected_issues),
        ),
        r.UNASSIGNED_WORK: ("resource_allocation", f"Assign owners to {issues}.", 1),
        r.REVIEW_BOTTLENECK: (
            "process",
            f"Assign reviewers to {issues}; spread reviews across the team.",
            len(risk.affected_issues),
        ),
    }
    if risk.risk_type not in table:
        return None
    category, action, effort = table[risk.risk_type]
    return Recommendation(
        category=category,
        priority=priority,
        action=action,
        rationale=f"{risk.title}. {risk.description}",
        expected_impact=impact,
        effort_estimate=max(1, effort),
        risk_type=risk.risk_type,
        issues=list(risk.affected_issues),
    )


def recommend(risks: Sequence[r.Risk], plan: DescopePlan | None = None) -> list[Recommendation]:
    """One recommendation per risk, plus the descoping one; highest priority first."""
    found = [rec for risk in risks if (rec := _for_risk(risk)) is not None]
    if plan is not None and (descope := descope_recommendation(plan)) is not None:
        found.append(descope)
    return sorted(found, key=lambda rec: -rec.priority)
