"""Commit records straight from a git clone (`git log --numstat`), oldest first. Used when a
repository is evaluated from a clone rather than from the ingestion tables."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

from analysis.records import CommitRecord, FileChange

_RECORD = "\x1e"
_FIELD = "\x1f"
_FORMAT = _FIELD.join(["%H", "%P", "%aE", "%at", "%B"]) + _FIELD


class GitHistoryError(RuntimeError):
    pass


def commits_from_clone(
    path: str | Path, *, revision: str = "HEAD", include_merges: bool = False
) -> Iterator[CommitRecord]:
    """Every commit reachable from `revision`, parents before children, with per-file line
    counts against the first parent (renames detected)."""
    args = ["git", "-C", str(path), "log", "--topo-order", "--reverse", "-z", "--numstat", "-M",
            f"--format={_RECORD}{_FORMAT}"]
    if not include_merges:
        args.append("--no-merges")
    args.append(revision)
    result = subprocess.run(args, capture_output=True, check=False)
    if result.returncode != 0:
        raise GitHistoryError(f"git log failed in {path}: {result.stderr.decode(errors='replace').strip()}")
    text = result.stdout.decode("utf-8", errors="replace")
    for chunk in text.split(_RECORD):
        if chunk.strip("\x00\n"):
            yield _parse_commit(chunk)


def _parse_commit(chunk: str) -> CommitRecord:
    sha, parents, author, timestamp, message, numstat = chunk.split(_FIELD, 5)
    return CommitRecord(
        sha=sha,
        author=author.lower(),
        timestamp=int(timestamp),
        message=message.strip(),
        files=tuple(_parse_numstat(numstat)),
        parents=tuple(parents.split()),
    )


def _parse_numstat(block: str) -> Iterator[FileChange]:
    # With -z a plain entry is "added\tdeleted\tpath\0"; a rename is "added\tdeleted\t\0old\0new\0".
    tokens = block.lstrip("\n").split("\x00")
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip("\n")
        index += 1
        if not token:
            continue
        added, deleted, path = token.split("\t", 2)
        old_path = ""
        if not path:
            old_path, path = tokens[index], tokens[index + 1]
            index += 2
        binary = added == "-"
        yield FileChange(
            path=path,
            additions=0 if binary else int(added),
            deletions=0 if binary else int(deleted),
            old_path=old_path,
            is_binary=binary,
        )
