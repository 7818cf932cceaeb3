"""What a history proves about which items (landed commits and pull request heads) are one
change, and the duplicate queries that follow from it.

Proof comes in three kinds:

- an identical patch-id (`git patch-id --stable`);
- a record naming the origin: `(cherry picked from commit <sha>)`, "Backport of <sha> from
  main", "Backport PR #N", "[PR #N/<sha> backport]", "cherry-pick #N", a merged branch named
  after it ("…/backport-N", "auto-backport-of-pr-N-on-…", "…/backports/…/pr-N"), or the title
  of pull request N's squash commit copied with its "(#N)";
- GitHub's records of a pull request: its merge commit ("Merge pull request #N from …"), its
  squash commit ("title (#N)"), its head (`refs/pull/N/head`) and its own commits.

A fourth kind is authorship: a rebase and a cherry-pick keep a commit's author, author date
(to the second) and subject and commit it again later, so two commits that share all three but
not their commit time are one change copied, whether or not the copy changed its lines (a
cherry-pick with conflicts, a merge picked onto another branch with `-m 1`). Commits that
share their commit time too were written together, not copied (an imported Subversion revision
split across branches).

Items joined by the first two kinds, by an identical patch-id of the diff without context
lines (the same lines changed in other surroundings), by authorship, and a pull request's head
with its merge or squash commit, form one *change group*. An item's *parts* are the groups of the commits it is made
of (a head's own commits, the commits a merge brought in).

A query is an item that names an origin older than itself (a backport), a commit copied from
an older commit of another pull request that still shares at least half its lines with it (kind
"copy": a copy whose lines mostly changed, as a rebase that dropped what had landed already
leaves it, is the same commit but not shown to be the same change), or, with pull request
heads, a head whose patch-id an older item of another pull request already has (the same
change proposed again). A head names an origin in its title, in the merge or squash commit that
landed it, or through its commits when every one of them is a copy. Items of the query's own
pull request are the query itself and are left out of its results.

Strict reading: right are only the named origins (the commit, or pull request N's merge or
squash commit and head) and items with the query's or an origin's patch-id, with or without
context lines (the same lines changed); a copy known by its authorship alone is strictly right
only when its patch-id is one of these. Lenient reading:
also the rest of the query's change group, and items that share a part with it (a pull request
that carried the same commit, a merge that brought it in).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from benchmarks.duplicates.evaluate import NEAR_THRESHOLD, Query
from benchmarks.duplicates.history import CHERRY_PICK, PseudoPullRequest
from benchmarks.duplicates.pull_heads import PullHeadItem

ORIGIN_SHAS = (CHERRY_PICK, re.compile(r"\bBackport of ([0-9a-f]{7,40}) from\b", re.IGNORECASE))
ORIGIN_PULL_REQUESTS = (
    re.compile(r"\bbackport(?:ed|ing)?(?:\s+of)?\s+(?:PR\s+|pull request\s+)?#(\d+)", re.IGNORECASE),
    re.compile(r"\[PR #(\d+)/[0-9a-f]{6,40} backport\]", re.IGNORECASE),
    re.compile(r"\bcherry[- ]?pick(?:ed|ing)?(?:\s+of)?\s+(?:PR\s+)?#(\d+)", re.IGNORECASE),
    # the number ends the branch name or a part of it ("backport-1234-to-8.3.x"), never "…-8.2"
    re.compile(r"^Merge pull request #\d+ from \S*?backport\S*?(?:pr-|[-_])((?:\d+[-_])*\d+)(?=$|[-_/\s])",
               re.IGNORECASE | re.MULTILINE),
)
_MERGE_SUBJECT = re.compile(r"^Merge pull request #(\d+) from ")
_SUFFIXES = re.compile(r"(?:\s*\(#\d+\))+\s*$")
_SUFFIX_NUMBER = re.compile(r"\(#(\d+)\)")
_BRANCH_PREFIX = re.compile(r"^\s*(?:\[[^\]]{1,60}\]\s*)+")


def origins_in(text: str) -> tuple[list[str], list[int]]:
    """(origin shas, origin pull request numbers) a message names."""
    shas = [sha for pattern in ORIGIN_SHAS for sha in pattern.findall(text)]
    numbers = [int(number) for pattern in ORIGIN_PULL_REQUESTS for found in pattern.findall(text)
               for number in re.split(r"[-_]", found)]
    return list(dict.fromkeys(shas)), list(dict.fromkeys(numbers))


def title_core(title: str) -> tuple[str, list[int]]:
    """(the title without branch prefixes and "(#N)" suffixes, lower-cased; the suffix numbers)."""
    suffix = _SUFFIXES.search(title)
    numbers = [int(n) for n in _SUFFIX_NUMBER.findall(suffix.group(0))] if suffix else []
    core = _BRANCH_PREFIX.sub("", title[: suffix.start()] if suffix else title)
    return " ".join(core.lower().split()), numbers


def landing_number(title: str, *, is_merge: bool) -> int | None:
    """The pull request a landed commit's subject says it landed ("Merge pull request #N …" on a
    merge; the last "(#N)" on a squash commit)."""
    if is_merge:
        match = _MERGE_SUBJECT.match(title)
        return int(match.group(1)) if match else None
    numbers = title_core(title)[1]
    return numbers[-1] if numbers else None


def _message(item: PseudoPullRequest) -> str:
    return f"{item.title}\n{item.body}"


@dataclass
class Truth:
    items: list[PseudoPullRequest]
    #: position -> its own pull request's number (heads, their commits, the merge or squash that landed them)
    pull_request: dict[int, int] = field(default_factory=dict)
    #: pull request number -> positions of its items (head, own commits, merge or squash commit)
    members: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    #: pull request number -> positions of its merge / squash commits
    landing: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    #: pull request number -> position of its head
    head: dict[int, int] = field(default_factory=dict)
    #: position -> positions of the origins it names
    origins: dict[int, set[int]] = field(default_factory=dict)
    by_patch_id: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    #: the same by the patch-id of the diff without context lines
    by_bare_patch_id: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    #: authorship (author, author date, subject) -> positions of the commits that have it
    by_authorship: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    #: union-find parents of the change groups
    parent: list[int] = field(default_factory=list)
    #: position -> change groups (or "patch:<id>" of commits no item is) of the commits it is made of
    parts: dict[int, set[int | str]] = field(default_factory=dict)
    #: group -> the parts of all its members (the commits that make up the change)
    group_parts: dict[int, set[int | str]] = field(default_factory=lambda: defaultdict(set))
    #: group or part -> positions whose group it is or that have it as a part
    holders: dict[int | str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def group(self, position: int) -> int:
        while self.parent[position] != position:
            self.parent[position] = self.parent[self.parent[position]]
            position = self.parent[position]
        return position

    def join(self, a: int, b: int) -> None:
        ra, rb = self.group(a), self.group(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def same_pull_request(self, a: int, b: int) -> bool:
        pa, pb = self.pull_request.get(a), self.pull_request.get(b)
        return pa is not None and pa == pb

    def own(self, position: int) -> set[int]:
        """Items of the same pull request as `position` (itself included)."""
        number = self.pull_request.get(position)
        return {position} | (self.members[number] if number is not None else set())

    def keys(self, position: int) -> set[int | str]:
        """The item's group, its parts, and the parts of its group's other members."""
        group = self.group(position)
        return {group} | self.parts.get(position, set()) | self.group_parts.get(group, set())

    def same_change(self, a: int, b: int) -> bool:
        """The lenient reading: one change group, or a shared part."""
        return not self.keys(a).isdisjoint(self.keys(b))

    def copies(self, position: int) -> set[int]:
        """Other commits with the item's authorship, committed at another time: the same commit
        rebased or cherry-picked."""
        item = self.items[position]
        key = getattr(item, "authorship", "")
        return {j for j in self.by_authorship.get(key, ()) if self.items[j].committed_at != item.committed_at}

    def representative(self, position: int) -> int | None:
        """The indexed item that stands for `position`: itself, or the head of the pull request
        that landed it."""
        if self.indexed(position):
            return position
        head = self.head.get(self.pull_request.get(position))
        return head if head is not None and self.indexed(head) else None

    def indexed(self, position: int) -> bool:
        """Whether a replay indexes the item: every head, and the landed commits no indexed head
        stands for (a commit that landed through a pull request is that pull request's head, as in
        production, where only heads are indexed)."""
        if isinstance(self.items[position], PullHeadItem):
            return True
        return self.pull_request.get(position) not in self.head

    def linked(self, a: int, b: int) -> bool:
        """Proven one change, parts of one pull request, or one branch built on another (kept out
        of the unrelated-pair sample)."""
        if self.same_change(a, b) or self.same_pull_request(a, b):
            return True
        item_a, item_b = self.items[a], self.items[b]
        if isinstance(item_a, PullHeadItem) and isinstance(item_b, PullHeadItem):
            return not set(item_a.own_commits).isdisjoint(item_b.own_commits)
        return False


def truth_of(items: list[PseudoPullRequest]) -> Truth:
    """The groups, parts and pull requests of `items` (with `attach_commit_facts` applied)."""
    truth = Truth(items=items, parent=list(range(len(items))))
    position = {item.sha: i for i, item in enumerate(items) if not isinstance(item, PullHeadItem)}
    by_prefix = {sha[:12]: i for sha, i in position.items()}

    def resolve(sha: str) -> int | None:
        return position.get(sha, by_prefix.get(sha[:12]))

    _pull_requests(truth, position, resolve)
    squash_core = {}
    for number, landings in truth.landing.items():
        for j in landings:
            if not items[j].is_merge:
                squash_core.setdefault(number, title_core(items[j].title)[0])
    for i, item in enumerate(items):
        truth.origins[i] = _named_origins(truth, i, item, resolve, squash_core)
    for i, item in enumerate(items):
        if item.bare_patch_id:
            truth.by_bare_patch_id[item.bare_patch_id].add(i)
        if item.authorship and not isinstance(item, PullHeadItem):
            truth.by_authorship[item.authorship].add(i)
    for members in [*truth.by_patch_id.values(), *truth.by_bare_patch_id.values()]:
        first = min(members)
        for j in members:
            truth.join(first, j)
    for members in truth.by_authorship.values():
        for i in members:
            for j in truth.copies(i):
                truth.join(i, j)
    for i, origins in truth.origins.items():
        for j in origins:
            truth.join(i, j)
    for number, landings in truth.landing.items():
        for j in landings[1:] + ([truth.head[number]] if number in truth.head else []):
            truth.join(landings[0], j)
    _parts(truth, position)
    return truth


def _pull_requests(truth: Truth, position: dict[str, int], resolve: Callable[[str], int | None]) -> None:
    items = truth.items
    for i, item in enumerate(items):
        if item.patch_id:
            truth.by_patch_id[item.patch_id].add(i)
        if isinstance(item, PullHeadItem):
            truth.head[item.number] = i
            truth.pull_request[i] = item.number
            continue
        number = landing_number(item.title, is_merge=item.is_merge)
        if number is None:
            continue
        copied = [resolve(sha) for sha in origins_in(_message(item))[0]]
        if any(j is not None and landing_number(items[j].title, is_merge=items[j].is_merge) == number
               for j in copied):
            continue  # a cherry-pick of a squash commit repeats its "(#N)"; it did not land #N
        truth.landing[number].append(i)
        truth.pull_request[i] = number
        if item.is_merge:
            for sha in item.merged_commits:
                if sha in position:
                    truth.pull_request.setdefault(position[sha], number)
    for item in items:
        if isinstance(item, PullHeadItem):
            for sha in item.own_commits:
                if sha in position:
                    truth.pull_request.setdefault(position[sha], item.number)
    for i, number in truth.pull_request.items():
        truth.members[number].add(i)


def _named_origins(
    truth: Truth, i: int, item: PseudoPullRequest, resolve: Callable[[str], int | None], squash_core: dict[int, str]
) -> set[int]:
    items = truth.items
    number = truth.pull_request.get(i)
    texts = [item.title]
    if isinstance(item, PullHeadItem):
        texts += [_message(items[j]) for j in truth.landing.get(number, [])]
        commits = item.own_messages
        if commits and all(origins_in(message) != ([], []) or _copied(message, squash_core, number)
                           for message in commits):
            texts += commits  # a pull request of copies only: each copy's origin is the pull request's
    else:
        texts.append(item.body)
    shas, numbers = origins_in("\n".join(texts))
    for text in texts:
        numbers += _copied(text.partition("\n")[0], squash_core, number)
    named = {resolve(sha) for sha in shas}
    for origin in numbers:
        if origin != number:
            named |= set(truth.landing.get(origin, []))
            named.add(truth.head.get(origin))
    return {j for j in named if j is not None and j != i and not truth.same_pull_request(i, j)}


def _copied(title: str, squash_core: dict[int, str], own: int | None) -> list[int]:
    """Pull request numbers whose squash commit's title this title repeats with its "(#N)"."""
    core, numbers = title_core(title.partition("\n")[0])
    return [n for n in numbers if n != own and squash_core.get(n) == core and core]


def _parts(truth: Truth, position: dict[str, int]) -> None:
    items = truth.items
    for i, item in enumerate(items):
        parts: set[int | str] = set()
        if isinstance(item, PullHeadItem):
            authorships = item.own_authorships or ("",) * len(item.own_commits)
            for sha, patch_id, key in zip(item.own_commits, item.own_patch_ids, authorships, strict=False):
                if sha in position:
                    parts.add(truth.group(position[sha]))
                    continue
                if patch_id:
                    owners = truth.by_patch_id.get(patch_id)
                    parts.add(truth.group(min(owners)) if owners else f"patch:{patch_id}")
                # an own commit rebased or cherry-picked onto a branch: the head carries that change
                # (a head's commit that never landed was not split from a landed one by an import)
                parts |= {truth.group(j) for j in truth.by_authorship.get(key, ()) if key}
        elif item.is_merge:
            parts = {truth.group(position[sha]) for sha in item.merged_commits if sha in position}
        truth.parts[i] = parts
        truth.group_parts[truth.group(i)] |= parts
        for key in {truth.group(i)} | parts:
            truth.holders[key].add(i)


def _line_overlap(a: frozenset[str] | None, b: frozenset[str] | None) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _tier(item: PseudoPullRequest, origins: Iterable[PseudoPullRequest]) -> str:
    origins = list(origins)
    if any(item.patch_id and item.patch_id == origin.patch_id for origin in origins):
        return "identical"
    if max((_line_overlap(item.lines, origin.lines) for origin in origins), default=0.0) >= NEAR_THRESHOLD:
        return "near"
    return "hard"


def queries_from(truth: Truth) -> list[Query]:
    """Backport queries (and, with heads, proposals of a change some older item already has)."""
    items = truth.items
    queries = []
    for i, item in enumerate(items):
        if not truth.indexed(i):
            continue
        own = truth.own(i)
        origins = {j for j in truth.origins.get(i, ()) if j < i and j not in own and truth.indexed(j)}
        # copies known by authorship: the older commits themselves (the tiers compare their lines),
        # answered by the items that stand for them
        copied = {j for j in truth.copies(i) if j < i and j not in own}
        copied = {j for j in copied if (k := truth.representative(j)) is not None and k < i and k not in own}
        named = set(origins)
        origins |= {truth.representative(j) for j in copied}
        kind = "backport" if named else "copy"
        if not named and copied and _tier(item, (items[j] for j in copied)) == "hard":
            origins = set()  # the same commit, its lines mostly changed: no duplicate to ask for
        if not origins and isinstance(item, PullHeadItem) and item.patch_id:
            origins = {j for j in truth.by_patch_id[item.patch_id] if j < i and j not in own and truth.indexed(j)}
            kind = "same_patch"
        if not origins:
            continue
        if kind == "same_patch":
            named = set(origins)
        strict = set(named)
        for j in [i, *named]:
            if items[j].patch_id:
                strict |= truth.by_patch_id[items[j].patch_id]
            if items[j].bare_patch_id:
                strict |= truth.by_bare_patch_id[items[j].bare_patch_id]
        lenient = set(strict)
        for key in truth.keys(i):
            lenient |= truth.holders[key]
        strict = {j for j in strict if j < i and j not in own and truth.indexed(j)}
        lenient = {j for j in lenient if j < i and j not in own and truth.indexed(j)}
        compared = named | copied
        copies = {j for j in (truth.representative(k) for k in truth.copies(i)) if j is not None and j < i} - own
        queries.append(Query(backport=i, originals=sorted(origins), tier=_tier(item, (items[j] for j in compared)),
                             relevant=lenient, strict=strict, kind=kind, excluded=own - {i},
                             copies=copies & lenient))
    return queries


def keep_lines_for(messages: dict[str, tuple[str, str, bool]]) -> tuple[set[str], set[int]]:
    """(landed shas, pull request numbers) whose changed lines the tiers need: items naming an
    origin, and the origins they name. `messages` is sha -> (subject, body, is merge)."""
    shas: set[str] = set()
    numbers: set[int] = set()
    landing: dict[int, str] = {}
    squash_core: dict[int, str] = {}
    for sha, (subject, _, is_merge) in messages.items():
        number = landing_number(subject, is_merge=is_merge)
        if number is not None:
            landing.setdefault(number, sha)
            if not is_merge:
                squash_core.setdefault(number, title_core(subject)[0])
    for sha, (subject, body, is_merge) in messages.items():
        origin_shas, origin_numbers = origins_in(f"{subject}\n{body}")
        own = landing_number(subject, is_merge=is_merge)
        origin_numbers += _copied(subject, squash_core, own)
        if origin_shas or origin_numbers:
            shas.add(sha)
            shas.update(origin_shas)
            numbers.update(origin_numbers)
            if own is not None:
                numbers.add(own)
    shas |= {landing[number] for number in numbers if number in landing}
    return shas, numbers
