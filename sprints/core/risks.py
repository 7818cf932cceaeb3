"""Milestone risks as pure functions over plain snapshots. No Django import.

Every detector returns zero or more `Risk`s with a probability (0-1) that the risk delays the
milestone, the delay in days if it does, the issues or PRs it touches, the evidence behind it and a
confidence (0-1) in the detection itself (how much data it rests on).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from scipy.stats import poisson

from gitinsight.plural import counted

DEPENDENCY_BLOCKER = "dependency_blocker"
VELOCITY_DECLINE = "velocity_decline"
SCOPE_CREEP = "scope_creep"
STALE_PR = "stale_pr"
FAILING_CI = "failing_ci"
HIGH_RISK_CHANGES = "high_risk_changes"
UNASSIGNED_WORK = "unassigned_work"
REVIEW_BOTTLENECK = "review_bottleneck"

STALE_AFTER = timedelta(days=7)
REVIEW_WAIT_LIMIT = timedelta(days=2)
HIGH_RISK_SCORE = 0.7


@dataclass(frozen=True)
class IssueSnapshot:
    number: int
    state: str  # open | closed
    assignees: tuple[str, ...] = ()
    created_at: datetime | None = None
    weight: float = 1.0


@dataclass(frozen=True)
class PullRequestSnapshot:
    number: int
    state: str  # open | closed | merged
    created_at: datetime
    updated_at: datetime
    draft: bool = False
    reviews: int = 0
    first_review_at: datetime | None = None
    requested_reviewers: tuple[str, ...] = ()
    failing_checks: tuple[str, ...] = ()
    risk_score: float | None = None  # commit-risk prediction from the analysis app, when present


@dataclass(frozen=True)
class DependencySnapshot:
    issue: int
    depends_on: int
    depends_on_open: bool
    depends_on_in_milestone: bool


@dataclass(frozen=True)
class MilestoneSnapshot:
    as_of: datetime
    due: datetime | None
    start: datetime
    issues: tuple[IssueSnapshot, ...]
    pull_requests: tuple[PullRequestSnapshot, ...] = ()
    dependencies: tuple[DependencySnapshot, ...] = ()
    recent_daily_throughput: tuple[float, ...] = ()  # last 14 days
    baseline_daily_throughput: tuple[float, ...] = ()  # the 6 weeks before those


@dataclass(frozen=True)
class Risk:
    risk_type: str
    severity: str
    probability: float
    impact_days: int
    title: str
    description: str
    affected_issues: list[int] = field(default_factory=list)
    evidence: dict[str, object] = field(default_factory=dict)
    confidence: float = 0.5


def severity_for(probability: float, impact_days: float, days_left: float | None) -> str:
    """Expected delay relative to the time left: above half of it is critical, a quarter high, a
    tenth medium. Without a due date the expected delay in days is judged against two weeks."""
    expected = probability * impact_days
    horizon = max(days_left, 1.0) if days_left is not None else 14.0
    ratio = expected / horizon
    if ratio >= 0.5:
        return "critical"
    if ratio >= 0.25:
        return "high"
    if ratio >= 0.1:
        return "medium"
    return "low"


def _days_left(snapshot: MilestoneSnapshot) -> float | None:
    if snapshot.due is None:
        return None
    return (snapshot.due - snapshot.as_of).total_seconds() / 86_400


def _days_per_item(snapshot: MilestoneSnapshot) -> float:
    rates = [*snapshot.recent_daily_throughput, *snapshot.baseline_daily_throughput]
    rate = sum(rates) / len(rates) if rates else 0.0
    return 1.0 / rate if rate > 0 else 7.0


def _open(snapshot: MilestoneSnapshot) -> list[IssueSnapshot]:
    return [issue for issue in snapshot.issues if issue.state == "open"]


def _risk(snapshot: MilestoneSnapshot, risk_type: str, probability: float, impact: float, **fields) -> Risk:
    probability = round(min(max(probability, 0.0), 1.0), 3)
    impact_days = max(0, math.ceil(impact))
    return Risk(
        risk_type=risk_type,
        severity=severity_for(probability, impact_days, _days_left(snapshot)),
        probability=probability,
        impact_days=impact_days,
        **fields,
    )


def dependency_blockers(snapshot: MilestoneSnapshot) -> list[Risk]:
    open_numbers = {issue.number for issue in _open(snapshot)}
    blocked = [d for d in snapshot.dependencies if d.issue in open_numbers and d.depends_on_open]
    if not blocked:
        return []
    outside = [d for d in blocked if not d.depends_on_in_milestone]
    # A blocker nobody in this milestone is working on is likelier to hold things up.
    probability = 0.5 + 0.4 * len(outside) / len(blocked)
    impact = _days_per_item(snapshot) * len({d.depends_on for d in blocked})
    return [
        _risk(
            snapshot,
            DEPENDENCY_BLOCKER,
            probability,
            impact,
            title=f"{counted(len({d.issue for d in blocked}), 'open issue waits', 'open issues wait')} "
                  "on open blockers",
            description="Work in this milestone depends on issues that are still open"
            + (f", {len(outside)} of them outside the milestone." if outside else "."),
            affected_issues=sorted({d.issue for d in blocked}),
            evidence={"edges": [[d.issue, d.depends_on, d.depends_on_in_milestone] for d in blocked]},
            confidence=0.8,
        )
    ]


def velocity_decline(snapshot: MilestoneSnapshot, *, min_drop: float = 0.25) -> list[Risk]:
    recent, baseline = snapshot.recent_daily_throughput, snapshot.baseline_daily_throughput
    if len(recent) < 7 or len(baseline) < 14:
        return []
    recent_rate, baseline_rate = sum(recent) / len(recent), sum(baseline) / len(baseline)
    if baseline_rate <= 0 or recent_rate >= (1 - min_drop) * baseline_rate:
        return []
    # How unlikely the recent total is if the baseline rate still held (Poisson lower tail).
    p_value = float(poisson.cdf(sum(recent), baseline_rate * len(recent)))
    remaining = sum(issue.weight for issue in _open(snapshot))
    slow = remaining / recent_rate if recent_rate > 0 else remaining * 7
    impact = slow - remaining / baseline_rate
    return [
        _risk(
            snapshot,
            VELOCITY_DECLINE,
            1 - p_value,
            impact,
            title=f"Throughput fell {100 * (1 - recent_rate / baseline_rate):.0f} % in the last {len(recent)} days",
            description=f"{recent_rate:.2f} items/day recently against {baseline_rate:.2f} before.",
            evidence={"recent_rate": round(recent_rate, 3), "baseline_rate": round(baseline_rate, 3)},
            confidence=round(min(0.95, 0.5 + len(baseline) / 120), 2),
        )
    ]


def scope_creep(snapshot: MilestoneSnapshot, *, min_growth: float = 0.2) -> list[Risk]:
    added = [i for i in snapshot.issues if i.created_at and i.created_at > snapshot.start]
    initial = len(snapshot.issues) - len(added)
    if not added or initial <= 0 or len(added) / initial < min_growth:
        return []
    growth = len(added) / initial
    added_open = [i for i in added if i.state == "open"]
    return [
        _risk(
            snapshot,
            SCOPE_CREEP,
            min(0.95, growth),
            sum(i.weight for i in added_open) * _days_per_item(snapshot),
            title=f"Scope grew {100 * growth:.0f} % since the milestone started",
            description=f"{len(added)} items were added after the start to {initial} planned.",
            affected_issues=sorted(i.number for i in added_open),
            evidence={"initial": initial, "added": len(added), "added_open": len(added_open)},
            confidence=0.7,
        )
    ]


def stale_prs(snapshot: MilestoneSnapshot) -> list[Risk]:
    stale = [
        pr
        for pr in snapshot.pull_requests
        if pr.state == "open" and not pr.draft and snapshot.as_of - pr.updated_at >= STALE_AFTER
    ]
    if not stale:
        return []
    idle = {pr.number: (snapshot.as_of - pr.updated_at).days for pr in stale}
    return [
        _risk(
            snapshot,
            STALE_PR,
            min(0.9, 0.4 + 0.1 * len(stale)),
            max(idle.values()) / 2,
            title=f"{counted(len(stale), 'pull request', 'pull requests')} idle for a week or more",
            description="Open pull requests in this milestone have had no activity for at least 7 days.",
            affected_issues=sorted(idle),
            evidence={"idle_days": idle},
            confidence=0.9,
        )
    ]


def failing_ci(snapshot: MilestoneSnapshot) -> list[Risk]:
    failing = [pr for pr in snapshot.pull_requests if pr.state == "open" and pr.failing_checks]
    if not failing:
        return []
    return [
        _risk(
            snapshot,
            FAILING_CI,
            min(0.9, 0.5 + 0.1 * len(failing)),
            _days_per_item(snapshot) * len(failing) / 2,
            title=f"{counted(len(failing), 'pull request', 'pull requests')} with failing checks",
            description="Failing checks must be fixed before these pull requests can merge.",
            affected_issues=sorted(pr.number for pr in failing),
            evidence={"failing_checks": {pr.number: list(pr.failing_checks) for pr in failing}},
            confidence=0.9,
        )
    ]


def high_risk_changes(snapshot: MilestoneSnapshot) -> list[Risk]:
    scored = [pr for pr in snapshot.pull_requests if pr.state == "open" and pr.risk_score is not None]
    risky = [pr for pr in scored if pr.risk_score >= HIGH_RISK_SCORE]
    if not risky:
        return []
    mean_score = sum(pr.risk_score for pr in risky) / len(risky)
    return [
        _risk(
            snapshot,
            HIGH_RISK_CHANGES,
            mean_score * 0.6,
            _days_per_item(snapshot) * len(risky),
            title=f"{counted(len(risky), 'open change', 'open changes')} predicted likely to introduce defects",
            description="The commit-risk model scores these pull requests high; a defect found late costs rework.",
            affected_issues=sorted(pr.number for pr in risky),
            evidence={"risk_scores": {pr.number: round(pr.risk_score, 3) for pr in risky}},
            confidence=0.6,
        )
    ]


def unassigned_work(snapshot: MilestoneSnapshot, *, min_share: float = 0.3) -> list[Risk]:
    open_issues = _open(snapshot)
    unassigned = [i for i in open_issues if not i.assignees]
    if not open_issues or len(unassigned) / len(open_issues) < min_share:
        return []
    share = len(unassigned) / len(open_issues)
    return [
        _risk(
            snapshot,
            UNASSIGNED_WORK,
            share,
            sum(i.weight for i in unassigned) * _days_per_item(snapshot) / 2,
            title=f"{len(unassigned)} of {len(open_issues)} open issues have nobody assigned",
            description="Unassigned work tends to start late.",
            affected_issues=sorted(i.number for i in unassigned),
            evidence={"unassigned": len(unassigned), "open": len(open_issues)},
            confidence=0.85,
        )
    ]


def review_bottleneck(snapshot: MilestoneSnapshot) -> list[Risk]:
    waiting = [
        pr
        for pr in snapshot.pull_requests
        if pr.state == "open"
        and not pr.draft
        and pr.first_review_at is None
        and snapshot.as_of - pr.created_at >= REVIEW_WAIT_LIMIT
    ]
    if not waiting:
        return []
    waits = {pr.number: round((snapshot.as_of - pr.created_at).total_seconds() / 86_400, 1) for pr in waiting}
    return [
        _risk(
            snapshot,
            REVIEW_BOTTLENECK,
            min(0.9, 0.3 + 0.15 * len(waiting)),
            sorted(waits.values())[len(waits) // 2],
            title=f"{counted(len(waiting), 'pull request', 'pull requests')} waiting for a first review",
            description="Pull requests have waited more than two days without any review.",
            affected_issues=sorted(waits),
            evidence={"waiting_days": waits},
            confidence=0.85,
        )
    ]


DETECTORS = (
    dependency_blockers,
    velocity_decline,
    scope_creep,
    stale_prs,
    failing_ci,
    high_risk_changes,
    unassigned_work,
    review_bottleneck,
)


def assess_risks(snapshot: MilestoneSnapshot) -> list[Risk]:
    """All risks, most severe first (by expected delay)."""
    risks = [risk for detector in DETECTORS for risk in detector(snapshot)]
    return sorted(risks, key=lambda r: r.probability * r.impact_days, reverse=True)


SEVERITY_WEIGHT = {"low": 0.05, "medium": 0.15, "high": 0.3, "critical": 0.5}


def health_score(probability: float | None, risks: list[Risk]) -> float:
    """0-100: the completion probability (0.5 without a due date), discounted by each risk's severity
    times its probability."""
    score = 0.5 if probability is None else probability
    for risk in risks:
        score *= 1 - SEVERITY_WEIGHT[risk.severity] * risk.probability
    return round(100 * score, 1)
