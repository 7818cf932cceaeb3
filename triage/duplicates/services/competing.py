"""Competing work of pull requests (see triage.duplicates.core.competing): the issues each pull
request claims — from its title and description, its commits, the comments on it and the
comments on the issue that name it — and the verdicts that follow, stored with their evidence."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q

from ingestion.models import Comment, Commit, Issue, PullRequest, PullRequestCommit, Repository
from triage.duplicates.core.competing import (
    RACING,
    SAME_ISSUE,
    SUPERSEDED_BY_COMMIT,
    Claim,
    CompetingVerdict,
    DirectCommit,
    Proposal,
    author_kind,
    claims_in,
    competing_pull_requests,
    mentions_of,
    superseded_in,
    superseding_commits,
)
from triage.duplicates.models import CandidateEdge, CompetingWork, IssueClaim
from triage.duplicates.models.choices import TriageCategory
from triage.duplicates.services.config import config_active

#: GitHub's author associations of someone contributing for the first time
FIRST_TIME = ("FIRST_TIME_CONTRIBUTOR", "FIRST_TIMER")
#: pull requests re-checked when one issue changes (the most recently updated first)
ISSUE_FAN_OUT = 20
#: pull requests never read before whose claims are read when another one names their issue
BACKFILL_LIMIT = 50


def _claims(pull_request: PullRequest) -> list[tuple[Claim, int | None]]:
    """(claim, comment id) of everything that says this pull request is for an issue."""
    found: list[tuple[Claim, int | None]] = [
        (claim, None) for claim in claims_in(pull_request.title, source="title", title=True)
        + claims_in(pull_request.title, source="title") + claims_in(pull_request.body, source="description")
    ]
    shas = PullRequestCommit.objects.filter(pull_request=pull_request).values_list("sha", flat=True)
    for sha, message in Commit.objects.filter(repository_id=pull_request.repository_id, sha__in=list(shas)) \
            .values_list("sha", "message"):
        found += [(claim, None) for claim in claims_in(message, source=f"commit {sha[:7]}")]
    for comment_id, login, body in Comment.objects.filter(
        pull_request=pull_request, deleted_at__isnull=True
    ).values_list("pk", "author_login", "body"):
        found += [(claim, comment_id) for claim in claims_in(body, source=f"comment by {login or 'someone'}")]
    # the issue's own comments link pull requests: "#123 fixes this"
    number = f"#{pull_request.number}"
    for comment_id, login, body, issue_number in Comment.objects.filter(
        repository_id=pull_request.repository_id, kind=Comment.Kind.ISSUE, deleted_at__isnull=True,
        body__contains=number, issue__isnull=False,
    ).values_list("pk", "author_login", "body", "issue__number"):
        if pull_request.number in mentions_of(body) and issue_number != pull_request.number:
            found.append((Claim(issue_number, f"comment by {login or 'someone'} on issue #{issue_number}"),
                          comment_id))
    unique: dict[Claim, int | None] = {}
    for claim, comment_id in found:
        unique.setdefault(claim, comment_id)
    return list(unique.items())


@transaction.atomic
def issue_claims_refresh(*, pull_request: PullRequest) -> list[IssueClaim]:
    """Rebuild the pull request's claims (idempotent)."""
    IssueClaim.objects.filter(pull_request=pull_request).delete()
    return IssueClaim.objects.bulk_create([
        IssueClaim(repository_id=pull_request.repository_id, pull_request=pull_request, issue_number=claim.issue,
                   source=claim.source[:300], comment_id=comment_id)
        for claim, comment_id in _claims(pull_request)
    ], ignore_conflicts=True)


def _proposal(pull_request: PullRequest, claims: Iterable[Claim]) -> Proposal:
    def seconds(moment: Any) -> float | None:
        return moment.timestamp() if moment is not None else None

    first = pull_request.author_association.upper() in FIRST_TIME
    return Proposal(
        number=pull_request.number, opened_at=seconds(pull_request.created_at) or 0.0,
        author=pull_request.author_login.lower(), author_kind=author_kind(pull_request.author_login,
                                                                          first_contribution=first),
        claims=list(claims), landed_at=seconds(pull_request.merged_at),
        closed_at=None if pull_request.merged_at else seconds(pull_request.closed_at),
    )


def _claims_backfill(*, repository_id: int, issues: set[int], exclude: int) -> None:
    """Read the claims of pull requests that name one of `issues` but were never read (opened
    before competing work was looked for)."""
    if not issues:
        return
    text = Q()
    for issue in issues:
        text |= Q(body__contains=f"#{issue}") | Q(title__contains=f"#{issue}")
    unread = PullRequest.objects.filter(text, repository_id=repository_id, issue_claims__isnull=True) \
        .exclude(pk=exclude).order_by("-updated_at")[:BACKFILL_LIMIT]
    for other in unread:
        issue_claims_refresh(pull_request=other)


def _stored_claims(pull_requests: Iterable[PullRequest]) -> dict[int, list[Claim]]:
    claims: dict[int, list[Claim]] = {}
    for pr_id, issue, source in IssueClaim.objects.filter(pull_request__in=list(pull_requests)) \
            .values_list("pull_request_id", "issue_number", "source"):
        claims.setdefault(pr_id, []).append(Claim(issue, source))
    return claims


def _same_change(repository_id: int, a: int, b: int) -> bool:
    """The diffs already say the two are one change: that verdict stands, not a competing one."""
    return CandidateEdge.objects.filter(
        Q(pull_request_a_id=a, pull_request_b_id=b) | Q(pull_request_a_id=b, pull_request_b_id=a),
        repository_id=repository_id, category=TriageCategory.SAME_CHANGE,
    ).exists()


def _store(pull_request: PullRequest, verdicts: list[CompetingVerdict], kinds: tuple[str, ...],
           confidence: dict[str, float], by_number: dict[int, PullRequest]) -> list[CompetingWork]:
    CompetingWork.objects.filter(pull_request=pull_request, kind__in=kinds).delete()
    return CompetingWork.objects.bulk_create([
        CompetingWork(
            repository_id=pull_request.repository_id, pull_request=pull_request, kind=verdict.kind,
            issue_number=verdict.issue, commit_sha=verdict.commit_sha,
            other_pull_request=by_number.get(verdict.other_pull_request) if verdict.other_pull_request else None,
            confidence=confidence.get(verdict.kind, 0.5), evidence_json=verdict.evidence,
        )
        for verdict in verdicts
    ])


@transaction.atomic
def competing_work_update(*, pull_request: PullRequest) -> list[CompetingWork]:
    """Refresh the pull request's claims, then its SAME_ISSUE / RACING verdicts against the other
    pull requests to the same base branch claiming one of its issues (and theirs against it)."""
    issue_claims_refresh(pull_request=pull_request)
    repository_id = pull_request.repository_id
    _, config = config_active(repository_id=repository_id)
    confidence = config.get("competing_work", {}).get("confidence", {})
    numbers = set(PullRequest.objects.filter(repository_id=repository_id).values_list("number", flat=True))
    issues = {claim.issue_number for claim in pull_request.issue_claims.all()} - numbers
    _claims_backfill(repository_id=repository_id, issues=issues, exclude=pull_request.pk)
    others = list(PullRequest.objects.filter(
        repository_id=repository_id, issue_claims__issue_number__in=issues, base_ref=pull_request.base_ref,
    ).exclude(pk=pull_request.pk).distinct())
    claims = _stored_claims([pull_request, *others])
    mine = _proposal(pull_request, claims.get(pull_request.pk, []))
    by_number = {other.number: other for other in [pull_request, *others]}
    proposals = {other.number: _proposal(other, claims.get(other.pk, [])) for other in others}
    stored = []
    earlier = [p for p in proposals.values() if p.opened_at <= mine.opened_at]
    verdicts = [v for v in competing_pull_requests(mine, earlier, pull_request_numbers=numbers)
                if not _same_change(repository_id, pull_request.pk, by_number[v.other_pull_request].pk)]
    stored += _store(pull_request, verdicts, (SAME_ISSUE, RACING), confidence, by_number)
    for number, other in proposals.items():
        if other.opened_at > mine.opened_at:
            later = by_number[number]
            CompetingWork.objects.filter(pull_request=later, other_pull_request=pull_request,
                                         kind__in=(SAME_ISSUE, RACING)).delete()
            for verdict in competing_pull_requests(other, [mine], pull_request_numbers=numbers):
                if not _same_change(repository_id, later.pk, pull_request.pk):
                    stored.append(CompetingWork.objects.create(
                        repository_id=repository_id, pull_request=later, kind=verdict.kind,
                        issue_number=verdict.issue, other_pull_request=pull_request,
                        confidence=confidence.get(verdict.kind, 0.5), evidence_json=verdict.evidence))
    return stored


def competing_work_for_issue(*, issue: Issue) -> int:
    """An issue or a pull request's conversation changed (a comment, an edit): re-check the pull
    requests it concerns. Returns how many were re-checked."""
    if issue.is_pull_request:
        targets = PullRequest.objects.filter(repository_id=issue.repository_id, number=issue.number)
    else:
        mentioned: set[int] = set()
        for body in Comment.objects.filter(issue=issue, deleted_at__isnull=True).values_list("body", flat=True):
            mentioned |= mentions_of(body)
        targets = PullRequest.objects.filter(
            Q(issue_claims__issue_number=issue.number) | Q(number__in=mentioned),
            repository_id=issue.repository_id, state=PullRequest.State.OPEN,
        ).distinct().order_by("-updated_at")[:ISSUE_FAN_OUT]
    count = 0
    for pull_request in targets:
        competing_work_update(pull_request=pull_request)
        count += 1
    return count


@transaction.atomic
def superseding_commits_check(*, repository_id: int, commit_ids: list[int]) -> list[CompetingWork]:
    """New commits pushed straight to the default branch (no pull request merged them) that close
    an issue an open pull request claims, or say they supersede it."""
    # a pull request's own commit lands with it: only commits no pull request lists are direct
    pull_request_shas = PullRequestCommit.objects.filter(repository_id=repository_id).values("sha")
    repository_commits = Commit.objects.filter(pk__in=commit_ids, repository_id=repository_id, is_merge=False,
                                               committed_at__isnull=False).exclude(sha__in=pull_request_shas)
    direct = []
    for sha, message, committed_at in repository_commits.values_list("sha", "message", "committed_at"):
        direct.append(DirectCommit(sha=sha, committed_at=committed_at.timestamp(), subject=message.partition("\n")[0],
                                   claims=claims_in(message, source="commit message"),
                                   supersedes=superseded_in(message)))
    if not direct:
        return []
    default_branch = Repository.objects.filter(pk=repository_id).values_list("default_branch", flat=True).first()
    issues = {claim.issue for commit in direct for claim in commit.claims}
    named = set().union(*(commit.supersedes for commit in direct))
    candidates = list(PullRequest.objects.filter(
        Q(issue_claims__issue_number__in=issues) | Q(number__in=named),
        repository_id=repository_id, base_ref=default_branch,
    ).distinct())
    _, config = config_active(repository_id=repository_id)
    confidence = config.get("competing_work", {}).get("confidence", {})
    numbers = set(PullRequest.objects.filter(repository_id=repository_id).values_list("number", flat=True))
    claims = _stored_claims(candidates)
    stored = []
    for pull_request in candidates:
        for verdict in superseding_commits(_proposal(pull_request, claims.get(pull_request.pk, [])), direct,
                                           pull_request_numbers=numbers):
            row, _ = CompetingWork.objects.update_or_create(
                pull_request=pull_request, kind=SUPERSEDED_BY_COMMIT, other_pull_request=None,
                commit_sha=verdict.commit_sha,
                defaults={"repository_id": repository_id, "issue_number": verdict.issue,
                          "confidence": confidence.get(SUPERSEDED_BY_COMMIT, 0.5),
                          "evidence_json": verdict.evidence},
            )
            stored.append(row)
    return stored
