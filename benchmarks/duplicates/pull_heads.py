"""Read the heads GitHub keeps for every pull request (`refs/pull/<n>/head` in a fetched mirror)
as pseudo pull requests: the diff from where the branch left its base to its last push, as
GitHub shows it, for open, abandoned, superseded and merged pull requests alike.

The base is where the pull request's own commits (those on no branch) meet a branch; for a
pull request merged with a merge commit, the merge-base with that commit's first parent. A head
that reached a branch without a merge commit of its own (fast-forward, or merged inside another
merge) has no knowable base and is left out (counted in `PullHeads.skipped`).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pygit2

from benchmarks.duplicates.history import LANDED_REFS, HistoryError, PseudoPullRequest
from triage.duplicates.core.diffnorm import changed_lines, parse_unified_diff
from triage.duplicates.core.signature import pr_signature

#: a pull request whose own commits pass this is a long-lived branch, not a proposal
MAX_OWN_COMMITS = 250
_HEAD_REF = re.compile(r"^([0-9a-f]{40}) refs/pull/(\d+)/head$")
_SHA_LINE = re.compile(r"^[0-9a-f]{40}$")


@dataclass
class PullHeadItem(PseudoPullRequest):
    """A pull request's last head. `sha` is the head commit; `committed_at` its commit time."""

    number: int = 0
    base: str = ""
    #: the pull request's own commits, newest first (the head first)
    own_commits: list[str] = field(default_factory=list)
    #: the merge commit that landed it, when it was merged with one
    landed_by: str = ""
    #: messages and patch-ids of the own commits, in `own_commits` order (see `attach_commit_facts`)
    own_messages: list[str] = field(default_factory=list)
    own_patch_ids: list[str] = field(default_factory=list)
    #: authorship (see `PseudoPullRequest.authorship`) of the own commits, in `own_commits` order
    own_authorships: tuple[str, ...] = ()


@dataclass
class PullHeads:
    items: list[PullHeadItem]
    #: why heads were left out, and how many
    skipped: dict[str, int]


def _run(repo: Path, *args: str, stdin: str | None = None) -> str:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, errors="replace",
                              check=True, input=stdin).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise HistoryError(f"git {' '.join(args[:2])} failed in {repo}: {error}") from error


def pull_head_refs(repo: Path) -> dict[int, str]:
    """Pull request number -> head sha of every `refs/pull/<n>/head`."""
    heads = {}
    for line in _run(repo, "for-each-ref", "--format=%(objectname) %(refname)", "refs/pull/").splitlines():
        match = _HEAD_REF.match(line)
        if match:
            heads[int(match.group(2))] = match.group(1)
    return heads


def landed_shas(repo: Path) -> set[str]:
    """Every commit reachable from a branch, tag or remote branch (what landed)."""
    return set(_run(repo, "rev-list", *LANDED_REFS).split())


def _merges_of_second_parents(repo: Path) -> dict[str, str]:
    """Second parent -> the merge commit on a branch that merged it (the oldest, if several)."""
    merged: dict[str, str] = {}
    for line in _run(repo, "log", *LANDED_REFS, "--merges", "--format=%H %P").splitlines():
        sha, *parents = line.split()
        for parent in parents[1:]:
            merged[parent] = sha  # log lists newest first: the last write is the oldest merge
    return merged


def _own_commits(repository: pygit2.Repository, head: str, landed: set[str]) -> tuple[list[str], list[str]]:
    """(own commits newest first, boundary commits on a branch) of an unlanded head."""
    own: list[str] = []
    boundary: set[str] = set()
    seen = {head}
    pending = [head]
    while pending and len(own) <= MAX_OWN_COMMITS:
        sha = pending.pop()
        own.append(sha)
        for parent in repository[sha].parent_ids:
            parent_sha = str(parent)
            if parent_sha in landed:
                boundary.add(parent_sha)
            elif parent_sha not in seen:
                seen.add(parent_sha)
                pending.append(parent_sha)
    own.sort(key=lambda sha: -repository[sha].commit_time)
    return own, sorted(boundary)


def _base_and_commits(
    repository: pygit2.Repository, head: str, landed: set[str], merged_by: dict[str, str]
) -> tuple[str, list[str], str] | str:
    """(base, own commits, landing merge) of a head, or the reason it is left out."""
    if head in landed:
        merge = merged_by.get(head)
        if merge is None:
            return "landed without a merge commit of its own"
        first_parent = str(repository[merge].parent_ids[0])
        base = repository.merge_base(first_parent, head)
        if base is None:
            return "no common history with its base"
        walker = repository.walk(head)
        walker.hide(first_parent)
        own = [str(commit.id) for _, commit in zip(range(MAX_OWN_COMMITS + 1), walker, strict=False)]
        if len(own) > MAX_OWN_COMMITS:
            return "more than 250 own commits"
        return str(base), own, merge
    own, boundary = _own_commits(repository, head, landed)
    if len(own) > MAX_OWN_COMMITS:
        return "more than 250 own commits"
    if not boundary:
        return "no common history with its base"
    # several boundaries: the branch merged its base in; the newest one is where it stands
    return max(boundary, key=lambda sha: repository[sha].commit_time), own, ""


def _texts(repository: pygit2.Repository, own: list[str], landing: str) -> tuple[str, str]:
    """The pull request's title and body as far as git knows them: a merge commit's body holds
    the title GitHub gave it; otherwise the oldest own commit's subject. The body is every own
    commit's message, oldest first (what the pull request page lists)."""
    messages = [repository[sha].message.strip() for sha in reversed(own)]
    title = messages[0].partition("\n")[0] if messages else ""
    if landing:
        landing_message = repository[landing].message.strip()
        _, _, rest = landing_message.partition("\n")
        first = next((line.strip() for line in rest.splitlines() if line.strip()), "")
        title = first or title
    return title, "\n\n".join(messages)


def read_pull_heads(
    repo: Path,
    *,
    keep_lines: Callable[[int, str], bool] = lambda number, text: True,
    titles: dict[int, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> PullHeads:
    """Every pull request head with a knowable base, with its whole-pull-request signature and
    patch-id. `keep_lines(number, title and body)` says whose normalised changed lines to keep;
    `titles` gives the titles of squash-merged pull requests (from their "title (#N)" commits)."""
    try:
        repository = pygit2.Repository(str(repo))
    except pygit2.GitError as error:
        raise HistoryError(f"{repo} is not a git repository: {error}") from error
    landed = landed_shas(repo)
    merged_by = _merges_of_second_parents(repo)
    skipped: dict[str, int] = {}
    planned: dict[str, tuple[int, str, list[str], str]] = {}
    for number, head in sorted(pull_head_refs(repo).items()):
        if head not in repository:
            skipped["head commit missing"] = skipped.get("head commit missing", 0) + 1
            continue
        found = _base_and_commits(repository, head, landed, merged_by)
        if isinstance(found, str):
            skipped[found] = skipped.get(found, 0) + 1
            continue
        if head in planned:  # two pull requests with one head: the later one re-proposes the same commits
            skipped["same head as an earlier pull request"] = skipped.get("same head as an earlier pull request", 0) + 1
            continue
        base, own, landing = found
        planned[head] = (number, base, own, landing)
    items = []
    with tempfile.TemporaryDirectory() as folder:
        diff_path = Path(folder) / "heads.patch"
        # "<commit> <parent>" lines: diff-tree prints the commit, then its diff against that parent
        _diff_tree(repo, "".join(f"{head} {base}\n" for head, (_, base, _, _) in planned.items()), diff_path)
        patch_ids = _patch_ids(repo, diff_path)
        for head, lines in _split_by_sha(diff_path):
            number, base, own, landing = planned[head]
            title, body = _texts(repository, own, landing)
            title = (titles or {}).get(number) or title
            files = parse_unified_diff("\n".join(lines))
            commit = repository[head]
            # bots push fix-ups on top: the first commit says who proposed it
            opener = repository[own[-1]] if own else commit
            item = PullHeadItem(
                sha=head, committed_at=commit.commit_time, parents=[base], title=title, body=body,
                signature=pr_signature(files, title=title, body=body), patch_id=patch_ids.get(head, ""),
                number=number, base=base, own_commits=own, landed_by=landing,
                author=f"{opener.author.name} <{opener.author.email}>",
            )
            if keep_lines(number, f"{title}\n{body}"):
                item.lines = frozenset(line for file in files for line in changed_lines(file))
            items.append(item)
            if progress is not None:
                progress(1)
    return PullHeads(items=items, skipped=skipped)


def _split_by_sha(path: Path) -> Iterator[tuple[str, list[str]]]:
    head, lines = "", []
    with path.open(encoding="utf-8", errors="replace") as stream:
        for raw in stream:
            line = raw.rstrip("\n")
            # a diff line starts with a sign, a space or a header word: a bare sha is a new head
            if len(line) == 40 and _SHA_LINE.match(line):
                if head:
                    yield head, lines
                head, lines = line, []
            else:
                lines.append(line)
    if head:
        yield head, lines


def _patch_ids(repo: Path, path: Path) -> dict[str, str]:
    with path.open("rb") as stream:
        try:
            result = subprocess.run(["git", "-C", str(repo), "patch-id", "--stable"], stdin=stream,
                                    capture_output=True, check=True)
        except (OSError, subprocess.CalledProcessError) as error:
            raise HistoryError(f"git patch-id failed in {repo}: {error}") from error
    ids = {}
    for line in result.stdout.decode().splitlines():
        patch_id, sha = line.split()
        ids[sha] = patch_id
    return ids


def attach_commit_facts(repo: Path, items: list[PseudoPullRequest]) -> None:
    """What the ground truth needs beyond signatures, cheap enough to read on every run: the
    commits every landed merge brought in, each head's own commits' messages and patch-ids, and
    every item's patch-id without context lines, author and first-proposed time, and authorship
    (see `attach_authorship`)."""
    repository = pygit2.Repository(str(repo))
    patch_ids = {item.sha: item.patch_id for item in items if not isinstance(item, PullHeadItem)}
    for item in items:
        if item.is_merge and not isinstance(item, PullHeadItem) and not item.merged_commits:
            walker = repository.walk(item.parents[1])
            walker.hide(item.parents[0])
            item.merged_commits = [str(commit.id) for _, commit in zip(range(MAX_OWN_COMMITS), walker, strict=False)]
    unlanded = sorted({sha for item in items if isinstance(item, PullHeadItem) for sha in item.own_commits
                       if sha not in patch_ids})
    heads = [(item.sha, item.base) for item in items if isinstance(item, PullHeadItem)]
    with tempfile.TemporaryDirectory() as folder:
        # one sha a line: diff-tree prints it, then its diff against its first parent (nothing for merges)
        own_path = Path(folder) / "own.patch"
        _diff_tree(repo, "".join(f"{sha}\n" for sha in unlanded), own_path)
        patch_ids.update(_patch_ids(repo, own_path))
        bare_path = Path(folder) / "bare.patch"
        with bare_path.open("w", encoding="utf-8") as out:
            try:
                subprocess.run(["git", "-C", str(repo), "log", *LANDED_REFS, "-p", "-U0", "--diff-merges=first-parent",
                                "--format=commit %H"], stdout=out, check=True, stderr=subprocess.PIPE)
            except (OSError, subprocess.CalledProcessError) as error:
                raise HistoryError(f"git log failed in {repo}: {error}") from error
        bare = _patch_ids(repo, bare_path)
        _diff_tree(repo, "".join(f"{head} {base}\n" for head, base in heads), bare_path, "-U0")
        bare_heads = _patch_ids(repo, bare_path)
    default_line = set(_run(repo, "rev-list", "--first-parent", "--end-of-options", _default_branch(repo)).split())
    for item in items:
        item.base_branch = "default" if (item.base if isinstance(item, PullHeadItem) else item.sha) in default_line \
            else "other"
        if isinstance(item, PullHeadItem):
            commits = [repository[sha] for sha in item.own_commits]
            item.own_messages = [commit.message.strip() for commit in commits]
            item.own_patch_ids = [patch_ids.get(sha, "") for sha in item.own_commits]
            item.bare_patch_id = bare_heads.get(item.sha, "")
            item.opened_at = min((commit.author.time for commit in commits), default=item.committed_at)
        else:
            commit = repository[item.sha]
            item.bare_patch_id = bare.get(item.sha, "")
            item.author = f"{commit.author.name} <{commit.author.email}>"
            item.opened_at = item.committed_at
    attach_authorship(repo, items)


def authorship(commit: pygit2.Commit) -> str:
    """Who wrote a commit, when (to the second, with the offset) and its subject: a rebase and a
    cherry-pick keep all three (of a merge too, picked with `-m 1`), so two commits that share
    them are one change."""
    author = commit.author
    subject = commit.message.strip().partition("\n")[0].strip()
    return f"{author.name} <{author.email}> {author.time} {author.offset:+d} {subject}"


def attach_authorship(repo: Path, items: list[PseudoPullRequest]) -> None:
    """Every commit's authorship and every head's own commits' ones; and the changed lines of the
    commits that share their authorship with another commit (the tiers compare a copy with its
    origin), where the history did not keep them."""
    repository = pygit2.Repository(str(repo))
    commits: dict[str, list[PseudoPullRequest]] = {}
    for item in items:
        if isinstance(item, PullHeadItem):
            item.own_authorships = tuple(authorship(repository[sha]) for sha in item.own_commits)
        else:
            item.authorship = authorship(repository[item.sha])
            if item.authorship:
                commits.setdefault(item.authorship, []).append(item)
    lineless = {item.sha: item for copies in commits.values() if len(copies) > 1 for item in copies
                if item.lines is None}
    for sha, files in _diffs(repo, sorted(lineless)):
        lineless[sha].lines = frozenset(line for file in files for line in changed_lines(file))


def _diffs(repo: Path, shas: list[str]) -> Iterator[tuple[str, list]]:
    """(sha, parsed files) of each commit's diff against its parent, as `git log -p` shows it."""
    if not shas:
        return
    output = _run(repo, "log", "--no-walk=unsorted", "--stdin", "-p", "--diff-merges=first-parent",
                  "--format=commit %H", stdin="".join(f"{sha}\n" for sha in shas))
    sha, lines = "", []
    for line in [*output.splitlines(), "commit " + "0" * 40]:
        if line.startswith("commit ") and len(line) == 47 and _SHA_LINE.match(line[7:]):
            if sha:
                yield sha, parse_unified_diff("\n".join(lines))
            sha, lines = line[7:], []
        else:
            lines.append(line)


def _default_branch(repo: Path) -> str:
    """main, else master, else the first branch."""
    branches = _run(repo, "for-each-ref", "--format=%(refname:short)", "refs/heads/").split()
    return next((name for name in ("main", "master") if name in branches), branches[0] if branches else "HEAD")


def _diff_tree(repo: Path, lines: str, path: Path, *options: str) -> None:
    with path.open("w", encoding="utf-8") as out:
        try:
            subprocess.run(["git", "-C", str(repo), "diff-tree", "-p", "-M", *options, "--stdin"], stdout=out,
                           text=True, input=lines, check=True, stderr=subprocess.PIPE)
        except (OSError, subprocess.CalledProcessError) as error:
            raise HistoryError(f"git diff-tree failed in {repo}: {error}") from error
