"""Competing work that shares no lines: what the text around pull requests and commits says,
not what their diffs do.

- SAME_ISSUE: two pull requests claim the same issue ("fixes #N" in a title, body, commit or
  comment, or the issue's own comments link the pull request).
- RACING: a bot's or a first-time contributor's pull request claims an issue that an earlier
  pull request of someone else, still open, already claims.
- SUPERSEDED_BY_COMMIT: a commit pushed straight to the base branch, after the pull request was
  opened and before it landed, names the pull request or closes the issue it claims.

Each verdict carries its evidence: the issue, where each claim was read, who opened what when.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

SAME_ISSUE = "SAME_ISSUE"
RACING = "RACING"
SUPERSEDED_BY_COMMIT = "SUPERSEDED_BY_COMMIT"
KINDS = (SAME_ISSUE, RACING, SUPERSEDED_BY_COMMIT)

BOT = "bot"
NEWCOMER = "newcomer"
MEMBER = "member"

_NUMBER = r"(?:[\w.-]+/[\w.-]+)?(?:#|gh-|GH-)(\d{1,7})\b|https?://github\.com/[\w.-]+/[\w.-]+/issues/(\d{1,7})\b"
_CLOSING = re.compile(
    r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?|addresse?s?|implements?)\b[:\s]+(?:issue\s+)?" + f"(?:{_NUMBER})",
    re.IGNORECASE,
)
_MENTION = re.compile(r"(?:^|[\s(\[])" + f"(?:{_NUMBER})")
#: a commit that says it takes a pull request's place
_SUPERSEDES = re.compile(
    r"\b(?:close[sd]?|supersede[sd]?|replace[sd]?|obsolete[sd]?|instead of|in favou?r of)\b[:\s]+(?:PR\s+)?"
    + f"(?:{_NUMBER})",
    re.IGNORECASE,
)
#: logins and names that are automation (besides GitHub's "[bot]" suffix)
_BOTS = frozenset({"meeseeksmachine", "meeseeksdev", "patchback", "pre-commit-ci", "dependabot", "renovate",
                   "github-actions", "copilot-swe-agent", "google-labs-jules", "allcontributors"})


@dataclass(frozen=True)
class Claim:
    """A pull request's (or commit's) claim on an issue."""

    issue: int
    #: where it was read: "title", "body", "commit message", "comment by <login>", "issue comment by <login>"
    source: str


def claims_in(text: str, *, source: str, title: bool = False) -> list[Claim]:
    """Issues the text says it closes ("fixes #12", "closes org/repo#12", "resolves gh-12", an
    issue URL after a closing word); in a title, any "#12" counts ("Fix #12: crash on …")."""
    pattern = _MENTION if title else _CLOSING
    found = []
    for groups in pattern.findall(text or ""):
        number = next((int(g) for g in groups if g), None)
        if number is not None:
            found.append(Claim(number, source))
    return list(dict.fromkeys(found))


def mentions_of(text: str) -> set[int]:
    """Every "#12" / "gh-12" / issue URL the text mentions."""
    return {int(next(g for g in groups if g)) for groups in _MENTION.findall(text or "") if any(groups)}


def superseded_in(text: str) -> set[int]:
    """Numbers the text says it closes, supersedes or replaces ("closes #12", "supersedes #12")."""
    return {int(next(g for g in groups if g)) for groups in _SUPERSEDES.findall(text or "") if any(groups)}


def author_kind(login: str, *, first_contribution: bool) -> str:
    """"bot" for automation, "newcomer" for a first contribution to the repository, else "member"."""
    name = (login or "").lower()
    if name.endswith("[bot]") or name.split("[", 1)[0].split("@", 1)[0] in _BOTS:
        return BOT
    return NEWCOMER if first_contribution else MEMBER


@dataclass
class Proposal:
    """What competing-work detection knows of a pull request."""

    number: int
    opened_at: float
    author: str
    author_kind: str
    claims: list[Claim]
    #: when it landed, if it did (seconds since the epoch)
    landed_at: float | None = None
    closed_at: float | None = None

    def open_at(self, moment: float) -> bool:
        ends = [t for t in (self.landed_at, self.closed_at) if t is not None]
        return self.opened_at <= moment and (not ends or min(ends) > moment)

    def issues(self, not_pull_requests: Iterable[int] = ()) -> set[int]:
        excluded = set(not_pull_requests)
        return {claim.issue for claim in self.claims if claim.issue != self.number and claim.issue not in excluded}


@dataclass
class DirectCommit:
    """A commit pushed straight to a base branch (not the landing of a pull request)."""

    sha: str
    committed_at: float
    subject: str
    claims: list[Claim]
    #: pull request numbers it says it closes, supersedes or replaces
    supersedes: set[int] = field(default_factory=set)


@dataclass
class CompetingVerdict:
    kind: str
    pull_request: int
    issue: int | None = None
    other_pull_request: int | None = None
    commit_sha: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)


def competing_pull_requests(
    proposal: Proposal, earlier: Sequence[Proposal], *, pull_request_numbers: Iterable[int] = ()
) -> list[CompetingVerdict]:
    """SAME_ISSUE / RACING verdicts of `proposal` against the `earlier` pull requests (opened
    before it); numbers in `pull_request_numbers` are pull requests, never issues."""
    known_pull_requests = set(pull_request_numbers)
    mine = proposal.issues(known_pull_requests)
    verdicts = []
    for other in earlier:
        if other.number == proposal.number or other.opened_at > proposal.opened_at:
            continue
        shared = sorted(mine & other.issues(known_pull_requests))
        if not shared:
            continue
        racing = (proposal.author_kind in (BOT, NEWCOMER) and other.author != proposal.author
                  and other.open_at(proposal.opened_at))
        issue = shared[0]
        verdicts.append(CompetingVerdict(
            kind=RACING if racing else SAME_ISSUE, pull_request=proposal.number, issue=issue,
            other_pull_request=other.number,
            evidence={
                "issues": shared,
                "claims": [claim.source for claim in proposal.claims if claim.issue == issue],
                "other_claims": [claim.source for claim in other.claims if claim.issue == issue],
                "author_kind": proposal.author_kind, "other_author_kind": other.author_kind,
                "other_open_when_opened": other.open_at(proposal.opened_at),
                "opened_after_seconds": round(proposal.opened_at - other.opened_at),
            },
        ))
    return verdicts


def superseding_commits(
    proposal: Proposal, commits: Iterable[DirectCommit], *, pull_request_numbers: Iterable[int] = ()
) -> list[CompetingVerdict]:
    """SUPERSEDED_BY_COMMIT verdicts: direct commits to the pull request's base branch, made while
    it was open, that say they close or replace it, or close an issue it claims."""
    issues = proposal.issues(pull_request_numbers)
    verdicts = []
    for commit in commits:
        if not proposal.open_at(commit.committed_at):
            continue
        closed = sorted(issues & {claim.issue for claim in commit.claims})
        named = proposal.number in commit.supersedes
        if not closed and not named:
            continue
        verdicts.append(CompetingVerdict(
            kind=SUPERSEDED_BY_COMMIT, pull_request=proposal.number, issue=closed[0] if closed else None,
            commit_sha=commit.sha,
            evidence={"subject": commit.subject, "closes": closed, "names_pull_request": named,
                      "after_opened_seconds": round(commit.committed_at - proposal.opened_at)},
        ))
    return verdicts
