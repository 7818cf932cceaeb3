"""What to ingest from a clone, decided with pygit2: the branch head, the commits new
since the last run, and the GitHub name the clone's origin points at."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pygit2

from ingestion.core.normalize.names import full_name_valid, local_name
from ingestion.core.revisions import is_commit_sha

_GITHUB_REMOTE = re.compile(r"github\.com[:/](?P<owner>[^/]+)/(?P<name>[^/]+?)(?:\.git)?/?$")


class CloneError(ValueError):
    """The path is not a git repository, or the branch does not exist in it."""


@dataclass(frozen=True)
class Clone:
    path: str
    branch: str
    head_sha: str
    origin_full_name: str | None

    @property
    def default_full_name(self) -> str:
        """owner/name from a GitHub origin, else "local/<folder name>" (the folder's name
        made a valid repository name)."""
        if self.origin_full_name and full_name_valid(self.origin_full_name):
            return self.origin_full_name
        return f"local/{local_name(Path(self.path).resolve().name)}"


def clone_open(path: str, *, branch: str | None = None) -> Clone:
    try:
        repo = pygit2.Repository(path)
    except pygit2.GitError as exc:
        raise CloneError(f"{path} is not a git repository: {exc}") from exc
    if branch is None:
        if repo.head_is_unborn:
            raise CloneError(f"{path} has no commits")
        branch = repo.head.shorthand
        head = repo.head.target
    else:
        # git refuses branch names that start with a dash; libgit2's name check does not.
        named = not branch.startswith("-") and pygit2.reference_is_valid_name(f"refs/heads/{branch}")
        if not (is_commit_sha(branch) or named):
            raise CloneError(f"{branch!r} is neither a branch or tag name nor a commit SHA")
        try:
            head = repo.revparse_single(branch).peel(pygit2.Commit).id
        except (KeyError, pygit2.GitError, ValueError) as exc:
            raise CloneError(f"branch {branch!r} not found in {path}") from exc
    workdir = repo.workdir or repo.path
    return Clone(path=workdir, branch=branch, head_sha=str(head), origin_full_name=_origin_full_name(repo))


def _origin_full_name(repo: pygit2.Repository) -> str | None:
    try:
        url = repo.remotes["origin"].url or ""
    except KeyError:
        return None
    match = _GITHUB_REMOTE.search(url)
    return f"{match['owner']}/{match['name']}" if match else None


def revisions_since(clone: Clone, previous_head: str | None) -> list[str]:
    """git rev-list arguments for the commits reachable from the head and not from the
    previously ingested head, when that head is still an ancestor (no force-push). A
    previous head that is not a commit SHA (it is read from the repository's metadata) is
    treated as unknown: the whole branch is read again, and git never sees the value."""
    if not is_commit_sha(previous_head):
        previous_head = None
    if previous_head and previous_head != clone.head_sha:
        repo = pygit2.Repository(clone.path)
        try:
            if repo.descendant_of(clone.head_sha, previous_head):
                return [clone.head_sha, f"^{previous_head}"]
        except (KeyError, pygit2.GitError, ValueError):
            pass
    elif previous_head == clone.head_sha:
        return []
    return [clone.head_sha]


def commit_count(clone: Clone, revisions: list[str]) -> int:
    """For the progress bar: a pygit2 walk, hiding the excluded heads."""
    if not revisions:
        return 0
    repo = pygit2.Repository(clone.path)
    walker = repo.walk(revisions[0], pygit2.enums.SortMode.NONE)
    for excluded in revisions[1:]:
        walker.hide(excluded.lstrip("^"))
    return sum(1 for _ in walker)
