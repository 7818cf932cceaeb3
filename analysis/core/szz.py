"""SZZ (Sliwerski, Zimmermann, Zeller 2005): pygit2 reads each fix's diff, and the lines it
deletes or changes are blamed in its parent with `git blame --porcelain` (libgit2's blame
rejects the empty author names that old svn-imported commits carry, and is slower); the
commits that last touched those lines are the bug-inducing candidates. Following the usual
refinements (Kim et al. 2006, PyDriller): blank and comment-only lines are skipped, blame
ignores whitespace, lines whose change is whitespace only are skipped, merges and oversized
fixes are skipped, and candidates made after the bug was reported are dropped when the
report time is known."""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import pygit2
from pygit2.enums import DeltaStatus

from ingestion.core.revisions import NotACommitSha, commit_sha_checked

SZZ_VERSION = 1
_COMMENT_START = ("//", "#", "/*", "*", "*/", "<!--", "--", "'''", '"""', ";")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SzzConfig:
    #: fixes touching more files than this are refactorings or merges of many changes, not fixes
    max_files: int = 100
    ignore_whitespace: bool = True
    skip_whitespace_only_changes: bool = True


@dataclass(frozen=True)
class InducingLink:
    fix_sha: str
    inducing_sha: str
    path: str
    lines: tuple[int, ...] = field(default_factory=tuple)


class SzzError(RuntimeError):
    pass


def _checked(sha: str) -> str:
    try:
        return commit_sha_checked(sha, what="the SZZ revision")
    except NotACommitSha as error:
        raise SzzError(str(error)) from error


def is_meaningful_line(content: str) -> bool:
    """False for blank lines and lines that hold only a comment."""
    stripped = content.strip()
    return bool(stripped) and not stripped.startswith(_COMMENT_START)


def _normalised(content: str) -> str:
    return _WHITESPACE.sub("", content)


def deleted_lines(patch: pygit2.Patch, *, skip_whitespace_only_changes: bool) -> list[int]:
    """Old line numbers the patch deletes or changes, without blank, comment-only and
    whitespace-only changes (a deleted line that reappears in the same hunk up to spaces)."""
    numbers: list[int] = []
    for hunk in patch.hunks:
        added = {_normalised(line.content) for line in hunk.lines if line.origin == "+"}
        for line in hunk.lines:
            if line.origin != "-" or not is_meaningful_line(line.content):
                continue
            if skip_whitespace_only_changes and _normalised(line.content) in added:
                continue
            numbers.append(line.old_lineno)
    return numbers


def _line_ranges(numbers: list[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], number)
        else:
            ranges.append((number, number))
    return ranges


def blame_lines(
    repo_dir: str, revision: str, path: str, numbers: list[int], *, ignore_whitespace: bool
) -> dict[int, tuple[str, int]]:
    """For each line number of `path` at `revision`: (sha of the commit that last changed it,
    that commit's committer time). `revision` must be a commit SHA: git blame (before
    2.43) knows no --end-of-options, so nothing but a SHA may stand where it reads one."""
    _checked(revision)
    args = ["git", "-C", repo_dir, "blame", "--porcelain"]
    if ignore_whitespace:
        args.append("-w")
    for start, end in _line_ranges(numbers):
        args += ["-L", f"{start},{end}"]
    args += [revision, "--", path]
    result = subprocess.run(args, capture_output=True, check=False)
    if result.returncode != 0:
        raise SzzError(f"git blame {revision} -- {path} failed: {result.stderr.decode(errors='replace').strip()}")
    blamed: dict[int, tuple[str, int]] = {}
    times: dict[str, int] = {}
    current = ""
    for raw in result.stdout.decode("utf-8", errors="replace").split("\n"):
        parts = raw.split(" ")
        if len(parts) >= 3 and len(parts[0]) == 40 and not raw.startswith("\t"):
            current = parts[0]
            blamed[int(parts[2])] = (current, 0)
        elif raw.startswith("committer-time "):
            times[current] = int(raw.split(" ", 1)[1])
    return {number: (sha, times.get(sha, 0)) for number, (sha, _) in blamed.items()}


def szz_links_for_fix(
    repo: pygit2.Repository, fix_sha: str, *, reported_at: int | None = None, config: SzzConfig = SzzConfig()
) -> list[InducingLink]:
    _checked(fix_sha)
    try:
        fix = repo.revparse_single(fix_sha).peel(pygit2.Commit)
    except (KeyError, ValueError) as exc:
        raise SzzError(f"fix commit {fix_sha} is not in the repository") from exc
    if len(fix.parents) != 1:
        return []
    parent = fix.parents[0]
    diff = repo.diff(parent, fix, context_lines=0)
    diff.find_similar()
    if len(diff) > config.max_files:
        return []
    by_inducing: dict[tuple[str, str], list[int]] = defaultdict(list)
    for patch in diff:
        delta = patch.delta
        if delta.status == DeltaStatus.ADDED or delta.is_binary:
            continue
        numbers = deleted_lines(patch, skip_whitespace_only_changes=config.skip_whitespace_only_changes)
        if not numbers:
            continue
        blamed = blame_lines(repo.workdir or repo.path, str(parent.id), delta.old_file.path, numbers,
                             ignore_whitespace=config.ignore_whitespace)
        for number, (inducing_sha, inducing_time) in blamed.items():
            if reported_at is not None and inducing_time > reported_at:
                continue
            by_inducing[(inducing_sha, delta.old_file.path)].append(number)
    return [
        InducingLink(fix_sha=str(fix.id), inducing_sha=sha, path=path, lines=tuple(lines))
        for (sha, path), lines in sorted(by_inducing.items())
    ]


def szz_links(
    repo_path: str,
    fix_shas: Iterable[str],
    *,
    reported_at: Mapping[str, int] | None = None,
    config: SzzConfig = SzzConfig(),
) -> Iterator[InducingLink]:
    """Links for every fix; `reported_at` maps a fix sha to its bug's report time (Unix s)."""
    repo = pygit2.Repository(repo_path)
    for fix_sha in fix_shas:
        yield from szz_links_for_fix(repo, fix_sha, reported_at=(reported_at or {}).get(fix_sha), config=config)
