"""What the check run of one pull request head can say, as plain data gathered by
triage.verdicts.selectors from the pull request report: each part is either known, still
being worked out (pending), or known to be unavailable with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field

#: The check run's name on GitHub, and the external id prefix that marks it as ours.
CHECK_RUN_NAME = "GitInsight"

#: categories of duplicate candidates the check run names, and how it says them
SAME_CHANGE = "SAME_CHANGE"
SAME_FEATURE = "SAME_FEATURE"
COMPETING = "COMPETING_IMPLEMENTATION"


@dataclass(frozen=True)
class RiskFacts:
    probability: float
    level: str  # low, medium, high
    reasons: tuple[str, ...] = ()  # sentences, most important first, raising the risk
    standing: str = ""  # "riskier than 96 % of this repository's commits", when known
    commit_count: int = 0


@dataclass(frozen=True)
class CandidateFacts:
    number: int
    title: str
    url: str
    category: str
    score: float
    merged: bool
    state: str  # open, closed
    #: what the two share, by kind: production_paths, symbols, tests, references
    shared: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class EvidenceFacts:
    kind: str  # same_sha_passed, same_failure_elsewhere, same_failure_on_base, unstable_issue, no_other_explanation
    detail: str
    url: str = ""


@dataclass(frozen=True)
class RootCauseLine:
    number: int  # line of the log
    text: str


@dataclass(frozen=True)
class FailedCheckFacts:
    name: str
    url: str
    conclusion: str  # failure, timed_out...
    status: str  # pending, done, failed (the analysis)
    category: str = ""
    attribution: str = ""  # new, flaky, broken_trunk, unstable, unknown
    confidence: float = 0.0
    evidence: tuple[EvidenceFacts, ...] = ()
    root_cause: tuple[RootCauseLine, ...] = ()
    suggested_fix: str = ""
    error: str = ""
    analysis: int = 0  # the stored analysis, whose "notify the author" records what was sent


@dataclass(frozen=True)
class VerdictFacts:
    """Everything the check run of `head_sha` says. `*_pending` parts are still being worked
    out; `risk_unavailable` says why there will be no risk figure."""

    number: int
    head_sha: str
    author: str
    risk: RiskFacts | None = None
    risk_pending: bool = False
    risk_unavailable: str = ""
    candidates: tuple[CandidateFacts, ...] = ()
    duplicates_pending: bool = True
    duplicates_unavailable: str = ""
    checks: tuple[FailedCheckFacts, ...] = ()
    #: paths of the repository the pull request touches: root-cause lines naming one become annotations
    changed_paths: frozenset[str] = frozenset()
    report_url: str = ""
    rerun_requested_by: str = ""

    @property
    def pending(self) -> list[str]:
        """The parts still being worked out, in words."""
        parts = []
        if self.risk_pending:
            parts.append("the commit risk")
        if self.duplicates_pending:
            parts.append("duplicate and competing pull requests")
        waiting = sum(1 for check in self.checks if check.status == "pending")
        if waiting:
            parts.append(f"{waiting} failed check{'s' if waiting != 1 else ''}")
        return parts


@dataclass(frozen=True)
class Gates:
    """When the check run concludes `failure` instead of `neutral`, and the thresholds for what
    GitHub is told: `same_change_min_score` for "the same change as", `public_confidence` for
    calling a failure flaky or broken on the base branch rather than "possibly" so."""

    fail_at_risk: str = ""  # "", "medium", "high"
    fail_on_merged_duplicate: bool = False
    same_change_min_score: float = 0.85
    public_confidence: float = 0.8
