"""Who broke it: NEW (this change), FLAKY, BROKEN_TRUNK or UNSTABLE, with the evidence.

A pure decision over facts the caller gathered (other attempts of the same commit, the
same fingerprint seen elsewhere, open issues). It is deliberately conservative: calling
a real failure FLAKY hides a bug the author should fix, which is the worst mistake, so
FLAKY needs either the very same commit passing on a retry, or the identical, specific
fingerprint on at least `MIN_UNRELATED_COMMITS` unrelated commits within the window.
Anything less is NEW.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

MIN_UNRELATED_COMMITS = 2
# A vague root cause ("last lines") is not a signature. At 0.5, 5.0 % of LogChunks' real failures
# would be called FLAKY on sightings of *other* failures whose fingerprint collided with theirs;
# at 0.75, 0.5 % (`ci_attribution_eval --logchunks`). Between 0.70 and 0.72 the rate falls from
# 2.2 % to 0.5 %: 0.75 keeps a margin above that edge.
MIN_FINGERPRINT_CONFIDENCE = 0.75
DEFAULT_WINDOW = timedelta(days=7)


class Attribution(StrEnum):
    NEW = "new"
    FLAKY = "flaky"
    BROKEN_TRUNK = "broken_trunk"
    UNSTABLE = "unstable"


@dataclass(frozen=True)
class AttemptOutcome:
    """Another run attempt of the same job on the same commit."""

    attempt: int
    conclusion: str  # GitHub check conclusion: success, failure, cancelled...
    url: str = ""


@dataclass(frozen=True)
class FailureSighting:
    """The same job failing on another commit, with that failure's fingerprint."""

    sha: str
    fingerprint: str
    seen_at: datetime
    on_base: bool = False  # on the base branch or the merge base of this pull request
    url: str = ""


@dataclass(frozen=True)
class UnstableIssue:
    """An open issue carrying the configured "unstable" label."""

    number: int
    title: str
    body: str = ""
    url: str = ""


@dataclass(frozen=True)
class AttributionFacts:
    sha: str
    job_name: str
    fingerprint: str
    fingerprint_confidence: float
    failed_at: datetime
    other_attempts: Sequence[AttemptOutcome] = ()
    sightings: Sequence[FailureSighting] = ()
    unstable_issues: Sequence[UnstableIssue] = ()
    window: timedelta = DEFAULT_WINDOW


@dataclass(frozen=True)
class Evidence:
    kind: str
    detail: str
    url: str = ""


@dataclass(frozen=True)
class AttributionVerdict:
    attribution: Attribution
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)


def attribute_failure(facts: AttributionFacts) -> AttributionVerdict:
    """Decide the attribution of one failed job from `facts` (see module docstring)."""
    unstable = [issue for issue in facts.unstable_issues if _names_job(issue, facts.job_name)]
    if unstable:
        return AttributionVerdict(
            Attribution.UNSTABLE,
            0.9,
            [Evidence("unstable_issue", f"#{i.number} {i.title}", i.url) for i in unstable],
        )
    passed = [a for a in facts.other_attempts if a.conclusion == "success"]
    if passed:
        return AttributionVerdict(
            Attribution.FLAKY,
            0.9,
            [Evidence("same_sha_passed", f"attempt {a.attempt} of {facts.sha[:12]} passed", a.url) for a in passed],
        )
    specific = bool(facts.fingerprint) and facts.fingerprint_confidence >= MIN_FINGERPRINT_CONFIDENCE
    recent = [
        s
        for s in facts.sightings
        if specific and s.fingerprint == facts.fingerprint and s.sha != facts.sha and _within(s, facts)
    ]
    on_base = [s for s in recent if s.on_base]
    if on_base:
        return AttributionVerdict(
            Attribution.BROKEN_TRUNK,
            0.85,
            [Evidence("same_failure_on_base", f"{s.sha[:12]} failed the same way", s.url) for s in on_base],
        )
    unrelated = {s.sha: s for s in recent}
    if len(unrelated) >= MIN_UNRELATED_COMMITS:
        confidence = min(0.85, 0.6 + 0.05 * len(unrelated))
        return AttributionVerdict(
            Attribution.FLAKY,
            round(confidence, 3),
            [
                Evidence("same_failure_elsewhere", f"{s.sha[:12]} failed the same way", s.url)
                for s in unrelated.values()
            ],
        )
    evidence = [Evidence("no_other_explanation", _why_new(facts, specific, len(unrelated)))]
    return AttributionVerdict(Attribution.NEW, 0.7 if specific else 0.5, evidence)


def _names_job(issue: UnstableIssue, job_name: str) -> bool:
    name = job_name.strip().lower()
    return bool(name) and (name in issue.title.lower() or name in issue.body.lower())


def _within(sighting: FailureSighting, facts: AttributionFacts) -> bool:
    return abs(facts.failed_at - sighting.seen_at) <= facts.window


def _why_new(facts: AttributionFacts, specific: bool, unrelated: int) -> str:
    retried = len(facts.other_attempts)
    attempts = f"{retried} other attempt{'s' if retried != 1 else ''}"
    parts = [f"{attempts} of {facts.sha[:12]}, none passed" if retried else "not retried"]
    if not specific:
        parts.append("root cause too vague to compare with other commits")
    else:
        others = "no other commit" if unrelated == 0 else f"{unrelated} other commit{'s' if unrelated != 1 else ''}"
        parts.append(f"the same failure on {others} within {facts.window.days} days")
    return "; ".join(parts)
