"""Read a clone's history as pseudo pull requests: one per commit (merges diffed against
their first parent), with patch-ids from `git patch-id --stable` and the cherry-pick links
that `git cherry-pick -x` writes into messages."""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingestion.core.revisions import commit_sha_checked
from triage.duplicates.core.diffnorm import changed_lines, parse_unified_diff
from triage.duplicates.core.signature import PRSignature, pr_signature

CHERRY_PICK = re.compile(r"\(cherry picked from commit ([0-9a-f]{7,40})\)")
#: what landed: a fetched mirror also has refs/pull/<n>/head, which are proposals, not history
LANDED_REFS = ("--branches", "--tags", "--remotes")
_LOG_FORMAT = "commit %H%nX-Meta: %ct %P%n%n%w(0,4,4)%B"


class HistoryError(RuntimeError):
    """The path is not a readable git repository."""


@dataclass
class PseudoPullRequest:
    sha: str
    committed_at: int
    parents: list[str]
    title: str
    body: str
    signature: PRSignature
    cherry_picked_from: list[str] = field(default_factory=list)
    #: normalised signed changed lines, kept only for commits in a cherry-pick pair
    lines: frozenset[str] | None = None
    patch_id: str = ""
    #: the patch-id of the diff without context lines: equal when the same lines change in different
    #: surroundings (see pull_heads.attach_commit_facts)
    bare_patch_id: str = ""
    #: "name <email>" of the author (of a head: of its first commit), and when the change was first
    #: proposed (a head: its first commit's time; a commit: its commit time)
    author: str = ""
    opened_at: int = 0
    #: "default" when the change is on (a head: based on) the default branch's first-parent line,
    #: "other" for maintenance and feature branches
    base_branch: str = ""
    #: the branch it was proposed from, where known (a head merged with a merge commit)
    branch: str = ""
    #: for a merge that is some backport's original: the commits it merged (its PR's commits)
    merged_commits: list[str] = field(default_factory=list)
    #: its author, author date (to the second, with the offset) and subject, which a rebase or a
    #: cherry-pick keeps (see pull_heads.attach_authorship)
    authorship: str = ""

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


def _git(repo: Path, *args: str) -> str:
    try:
        # Messages in old repositories are not always UTF-8: read what can be read.
        result = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, errors="replace", check=True
        )
    except (OSError, subprocess.CalledProcessError) as error:
        raise HistoryError(f"git {' '.join(args[:2])} failed in {repo}: {error}") from error
    return result.stdout


def cherry_pick_shas(repo: Path) -> set[str]:
    """Shas of backports and of the originals they name (full shas, originals resolved)."""
    shas: set[str] = set()
    for record in _git(repo, "log", *LANDED_REFS, "--format=%H%x00%B%x01").split("\x01"):
        sha, _, message = record.strip().partition("\x00")
        originals = CHERRY_PICK.findall(message)
        if sha and originals:
            shas.add(sha)
            shas.update(originals)
    return shas


def _parse_commit(
    lines: list[str], keep_lines: Callable[[str, list[str]], bool]
) -> PseudoPullRequest:
    sha = lines[0].split()[1]
    meta = lines[1].removeprefix("X-Meta: ").split()
    message: list[str] = []
    index = 2
    while index < len(lines) and not lines[index].startswith("diff --git"):
        message.append(lines[index][4:] if lines[index].startswith("    ") else lines[index])
        index += 1
    text = "\n".join(message).strip()
    title, _, body = text.partition("\n")
    files = parse_unified_diff("\n".join(lines[index:]))
    originals = CHERRY_PICK.findall(body)
    item = PseudoPullRequest(
        sha=sha,
        committed_at=int(meta[0]),
        parents=meta[1:],
        title=title,
        body=body.strip(),
        signature=pr_signature(files, title=title, body=body),
        cherry_picked_from=originals,
    )
    if keep_lines(sha, originals):
        item.lines = frozenset(line for file in files for line in changed_lines(file))
    return item


def read_history(
    repo: Path, *, progress: Callable[[int], None] | None = None, also_keep: set[str] = frozenset()
) -> list[PseudoPullRequest]:
    """Every commit reachable from a branch or tag, oldest first, with signatures and patch-ids;
    changed lines are kept for cherry-pick pairs and for the shas in `also_keep`."""
    paired = cherry_pick_shas(repo)
    prefixes = {sha[:7] for sha in paired}

    def keep(sha: str, originals: list[str]) -> bool:
        return bool(originals) or sha in paired or sha[:7] in prefixes or sha in also_keep

    items: list[PseudoPullRequest] = []
    with tempfile.TemporaryDirectory() as folder:
        log_path = Path(folder) / "log.patch"
        with log_path.open("w", encoding="utf-8") as out:
            try:
                subprocess.run(
                    ["git", "-C", str(repo), "log", *LANDED_REFS, "-p", "--diff-merges=first-parent",
                     f"--format={_LOG_FORMAT}"],
                    stdout=out, check=True, stderr=subprocess.PIPE,
                )
            except (OSError, subprocess.CalledProcessError) as error:
                raise HistoryError(f"git log failed in {repo}: {error}") from error
        for lines in _commits(log_path):
            items.append(_parse_commit(lines, keep))
            if progress is not None:
                progress(1)
        patch_ids = _patch_ids(repo, log_path)
    for item in items:
        item.patch_id = patch_ids.get(item.sha, "")
        if item.is_merge and (item.sha in paired or item.sha[:7] in prefixes or item.sha in also_keep):
            first, second = (commit_sha_checked(parent, what="a merge parent") for parent in item.parents[:2])
            item.merged_commits = _git(repo, "rev-list", "--end-of-options", f"{first}..{second}").split()
    items.sort(key=lambda item: (item.committed_at, item.sha))
    return items


def _commits(log_path: Path) -> Iterator[list[str]]:
    current: list[str] = []
    with log_path.open(encoding="utf-8", errors="replace") as stream:
        for raw in stream:
            line = raw.rstrip("\n")
            if line.startswith("commit ") and current and len(line) == 47:
                yield current
                current = []
            current.append(line)
    if current:
        yield current


def _patch_ids(repo: Path, log_path: Path) -> dict[str, str]:
    with log_path.open("rb") as stream:
        result = subprocess.run(["git", "-C", str(repo), "patch-id", "--stable"], stdin=stream,
                                capture_output=True, check=True)
    ids = {}
    for line in result.stdout.decode().splitlines():
        patch_id, sha = line.split()
        ids[sha] = patch_id
    return ids
