"""Competing work that shares no lines, measured on what a history holds.

Every pull request head of a replay becomes a `Proposal` (claims read from its title and its
commits' messages; comments are not in git), every landed commit that is no pull request's
a `DirectCommit`. The detection of `triage.duplicates.core.competing` then runs in time order, seeing
only what was there when each pull request was opened, and each verdict is set against what
the history proves later:

- SAME_ISSUE / RACING: which of the two pull requests landed (one: they competed and one won;
  both: the second completed the first; neither);
- SUPERSEDED_BY_COMMIT: whether the pull request ever landed afterwards (a verdict is right when
  it did not), and whether the commit made the same change (its change group).

What git does not keep is approximated, and said so in the output: a pull request was opened
when its first commit was written, and an unlanded one counts as open until 90 days after its
last push. The author of a head is its first commit's author; a newcomer has no earlier commit
or pull request in the repository; bots are known by name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from benchmarks.duplicates.pull_heads import PullHeadItem
from benchmarks.duplicates.truth import Truth
from triage.duplicates.core.competing import (
    KINDS,
    RACING,
    SAME_ISSUE,
    SUPERSEDED_BY_COMMIT,
    Claim,
    DirectCommit,
    Proposal,
    author_kind,
    claims_in,
    competing_pull_requests,
    superseded_in,
    superseding_commits,
)
from triage.duplicates.core.scoring import NOT_RELATED, score_pair

#: an unlanded pull request counts as open this long after its last push
STALE_AFTER_SECONDS = 90 * 24 * 3600


#: a head with more own commits than this carries other work (a merge of branches): only its title
#: and first commit stand in for the description git does not keep
DESCRIBING_COMMITS = 5


def _claims(item: PullHeadItem) -> list[Claim]:
    claims = claims_in(item.title, source="title", title=True) + claims_in(item.title, source="title")
    messages = [message for message in item.own_messages if not message.startswith("Merge ")]
    if len(messages) > DESCRIBING_COMMITS:
        messages = messages[-1:]  # own commits are newest first
    for message in messages:
        claims += claims_in(message, source="commit message")
    return list(dict.fromkeys(claims))


def proposals_of(truth: Truth) -> tuple[list[tuple[int, Proposal]], list[tuple[int, DirectCommit]]]:
    """(position, proposal) of every head and (position, direct commit) of every landed commit no
    pull request stands for, oldest first."""
    items = truth.items
    first_seen: dict[str, int] = {}
    for item in sorted(items, key=lambda item: item.opened_at):
        first_seen.setdefault(item.author.lower(), item.opened_at)
    proposals, commits = [], []
    for i, item in enumerate(items):
        if isinstance(item, PullHeadItem):
            landed = [items[j].committed_at for j in truth.landing.get(item.number, [])]
            if item.landed_by or landed:
                landed_at, closed_at = min(landed or [item.committed_at]), None
            else:
                landed_at, closed_at = None, item.committed_at + STALE_AFTER_SECONDS
            login = item.author.split(" <", 1)[0]
            first = first_seen.get(item.author.lower(), item.opened_at) >= item.opened_at
            proposals.append((i, Proposal(
                number=item.number, opened_at=item.opened_at, author=item.author.lower(),
                author_kind=author_kind(login, first_contribution=first),
                claims=_claims(item), landed_at=landed_at, closed_at=closed_at,
            )))
        elif not item.is_merge and i not in truth.pull_request and item.base_branch == "default":
            message = f"{item.title}\n{item.body}"
            commits.append((i, DirectCommit(sha=item.sha, committed_at=item.committed_at, subject=item.title,
                                            claims=claims_in(message, source="commit message"),
                                            supersedes=superseded_in(message))))
    proposals.sort(key=lambda entry: entry[1].opened_at)
    commits.sort(key=lambda entry: entry[1].committed_at)
    return proposals, commits


def competing_figures(truth: Truth, *, score_pairs: bool = True) -> dict[str, Any]:
    """Counts of each kind of competing work in the history, the outcome of every verdict, and
    how many of the pairs the diff-based categories would have missed."""
    items = truth.items
    numbers = set(truth.head)
    proposals, commits = proposals_of(truth)
    by_issue: dict[int, list[tuple[int, Proposal]]] = defaultdict(list)
    pairs: list[tuple[str, int, int]] = []
    branch = {position: items[position].base_branch for position, _ in proposals}
    for position, proposal in proposals:
        # a pull request to another branch claiming the issue is its backport, not a competitor
        earlier = {other.number: (j, other) for issue in proposal.issues(numbers) for j, other in by_issue[issue]
                   if branch[j] == branch[position]}
        for verdict in competing_pull_requests(proposal, [other for _, other in earlier.values()],
                                               pull_request_numbers=numbers):
            pairs.append((verdict.kind, position, earlier[verdict.other_pull_request][0]))
        for issue in proposal.issues(numbers):
            by_issue[issue].append((position, proposal))
    landed = {position: proposal.landed_at is not None for position, proposal in proposals}
    result: dict[str, Any] = {
        "approximations": "opened = first commit's author time; an unlanded pull request is open until 90 days "
                          "after its last push; claims from titles and commit messages (no comments in git)",
        "pull_requests": len(proposals), "pull_requests_claiming_an_issue": sum(
            bool(p.issues(numbers)) for _, p in proposals),
        "direct_commits": len(commits),
        "author_kinds": _count(p.author_kind for _, p in proposals),
    }
    for kind in (SAME_ISSUE, RACING):
        selected = [(a, b) for k, a, b in pairs if k == kind]
        outcomes = _count("both landed" if landed[a] and landed[b] else "neither landed"
                          if not landed[a] and not landed[b] else "the later one landed" if landed[a]
                          else "the earlier one landed" for a, b in selected)
        entry: dict[str, Any] = {"verdicts": len(selected), "outcomes": outcomes}
        if selected:
            one = outcomes.get("the later one landed", 0) + outcomes.get("the earlier one landed", 0)
            entry["one_landed_share"] = round(one / len(selected), 4)
        if score_pairs and selected:
            categories = [score_pair(items[a].signature, items[b].signature, with_evidence=False) for a, b in selected]
            entry["shares_no_lines"] = round(sum(c.scores["code_jaccard"] == 0 for c in categories) / len(selected), 4)
            entry["diff_category_not_related"] = round(
                sum(c.category == NOT_RELATED for c in categories) / len(selected), 4)
        result[kind] = entry
    superseded = []
    for position, proposal in proposals:
        if branch[position] != "default":
            continue  # direct commits are read on the default branch only
        for verdict in superseding_commits(proposal, [commit for _, commit in commits],
                                           pull_request_numbers=numbers):
            superseded.append((position, verdict))
    commit_position = {commit.sha: j for j, commit in commits}
    right = sum(not landed[position] for position, _ in superseded)
    result[SUPERSEDED_BY_COMMIT] = {
        "verdicts": len(superseded),
        "pull_requests": len({position for position, _ in superseded}),
        "precision_never_landed": round(right / len(superseded), 4) if superseded else None,
        "by_naming_the_pull_request": sum(v.evidence["names_pull_request"] for _, v in superseded),
        "by_closing_its_issue": sum(bool(v.evidence["closes"]) for _, v in superseded),
        "same_change_group": sum(truth.same_change(position, commit_position[v.commit_sha])
                                 for position, v in superseded),
    }
    result["kinds"] = list(KINDS)
    return result


def _count(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts
