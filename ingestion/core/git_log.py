"""Parse `git log -z --raw --numstat -M --diff-merges=first-parent` output into commits
with per-file stats. Pure: no Django, no database.

One subprocess is several times faster than a per-commit diff through libgit2, and git
computes exactly what we store: renames (similarity >= 50 %), binary files ("-" counts),
and merges diffed against their first parent."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

RECORD = b"\x1e"
# A record starts with RECORD then the sha and a NUL: a message may hold RECORD itself.
_RECORD_START = re.compile(rb"\x1e(?=[0-9a-f]{40}(?:[0-9a-f]{24})?\x00)")
_FORMAT = "%x1e%H%x00%P%x00%an%x00%ae%x00%at%x00%cn%x00%ce%x00%ct%x00%B%x00"
_HEADER_FIELDS = 9

#: raw status letter -> FileStatus value
STATUSES = {
    "A": "ADDED",
    "M": "MODIFIED",
    "D": "REMOVED",
    "R": "RENAMED",
    "C": "COPIED",
    "T": "MODIFIED",
    "U": "MODIFIED",
    "X": "MODIFIED",
}


class GitLogError(RuntimeError):
    """git failed (not a repository, unknown revision, ...)."""


@dataclass
class GitFile:
    path: str
    previous_path: str
    status: str
    additions: int
    deletions: int
    is_binary: bool


@dataclass
class GitCommit:
    sha: str
    parents: list[str]
    author_name: str
    author_email: str
    authored_at: datetime
    committer_name: str
    committer_email: str
    committed_at: datetime
    message: str
    files: list[GitFile] = field(default_factory=list)

    @property
    def lines_added(self) -> int:
        return sum(f.additions for f in self.files)

    @property
    def lines_deleted(self) -> int:
        return sum(f.deletions for f in self.files)


def git_log_command(
    path: str, revisions: list[str], options: tuple[str, ...] = (), pathspecs: Sequence[str] = ()
) -> list[str]:
    """`revisions` come after --end-of-options: a value that looks like an option is a bad
    revision to git, never an option (`--output=` would write a file); `pathspecs` after "--"."""
    return [
        "git",
        "-C",
        path,
        "-c",
        "core.quotepath=off",
        "-c",
        "diff.renameLimit=10000",
        "log",
        "-z",
        "--raw",
        "--numstat",
        "-M",
        "--diff-merges=first-parent",
        "--no-abbrev",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        f"--format={_FORMAT}",
        *options,
        "--end-of-options",
        *revisions,
        "--",
        *pathspecs,
    ]


def git_log_commits(
    path: str,
    revisions: list[str],
    *,
    options: tuple[str, ...] = (),
    pathspecs: Sequence[str] = (),
    chunk_size: int = 1 << 20,
) -> Iterator[GitCommit]:
    """Stream the commits of `revisions` (git rev-list syntax, e.g. ["main", "^abc123"]);
    `options` are git log's own (e.g. "--topo-order"), written by our code only; `pathspecs`
    limit the commits and their files (git pathspecs, e.g. ":(exclude)big.bin")."""
    process = subprocess.Popen(
        git_log_command(path, revisions, options, pathspecs), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    try:
        yield from parse_log(iter(lambda: process.stdout.read(chunk_size), b""))
    finally:
        process.stdout.close()
        stderr = process.stderr.read() if process.stderr else b""
        returncode = process.wait()
    if returncode != 0:
        raise GitLogError(f"git log failed in {path}: {_decode(stderr).strip()}")


def parse_log(chunks: Iterable[bytes]) -> Iterator[GitCommit]:
    pending = b""
    for chunk in chunks:
        pending += chunk
        records = _RECORD_START.split(pending)
        pending = records.pop()
        for record in records:
            if record:
                yield parse_record(record)
    if pending:
        yield parse_record(pending)


def _decode(value: bytes) -> str:
    # Commit messages and names in old repositories are not always UTF-8; keep what can
    # be read. PostgreSQL text cannot hold NUL.
    return value.decode("utf-8", errors="replace").replace("\x00", "")


def _when(epoch: bytes) -> datetime:
    return datetime.fromtimestamp(int(epoch or b"0"), tz=UTC)


def parse_record(record: bytes) -> GitCommit:
    """One commit of the log; GitLogError when the record is not what the format prints."""
    try:
        return _parse_record(record)
    except (ValueError, IndexError, OverflowError, OSError) as exc:
        raise GitLogError(f"unexpected git log record ({exc}): {record[:80]!r}") from exc


def _parse_record(record: bytes) -> GitCommit:
    parts = record.split(b"\x00", _HEADER_FIELDS)
    if len(parts) < _HEADER_FIELDS:
        raise GitLogError(f"unexpected git log record: {record[:80]!r}")
    sha, parents, an, ae, at, cn, ce, ct, body = parts[:_HEADER_FIELDS]
    commit = GitCommit(
        sha=sha.decode("ascii"),
        parents=parents.decode("ascii").split(),
        author_name=_decode(an),
        author_email=_decode(ae),
        authored_at=_when(at),
        committer_name=_decode(cn),
        committer_email=_decode(ce),
        committed_at=_when(ct),
        message=_decode(body).rstrip("\n"),
    )
    if len(parts) > _HEADER_FIELDS:
        commit.files = _parse_diff(parts[_HEADER_FIELDS])
    return commit


def _count(value: bytes) -> int:
    if not value.isdigit():
        raise ValueError(f"line count {value[:20]!r} is not a number")
    return int(value)


def parse_diff(section: bytes) -> list[GitFile]:
    """The raw entries (status per path) followed by the numstat entries (line counts);
    GitLogError when the section is not what the format prints."""
    try:
        return _parse_diff(section)
    except (ValueError, IndexError) as exc:
        raise GitLogError(f"unexpected git log diff section ({exc}): {section[:80]!r}") from exc


def _parse_diff(section: bytes) -> list[GitFile]:
    tokens = section.lstrip(b"\x00\n").split(b"\x00")
    statuses: dict[str, tuple[str, str]] = {}
    files: dict[str, GitFile] = {}
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip(b"\n")
        if not token:
            index += 1
        elif token.startswith(b":"):
            letter = chr(token.rsplit(b" ", 1)[-1][0])
            if letter in "RC":
                old, new = _decode(tokens[index + 1]), _decode(tokens[index + 2])
                index += 3
            else:
                old, new = "", _decode(tokens[index + 1])
                index += 2
            statuses.setdefault(new, (STATUSES.get(letter, "MODIFIED"), old))
        else:
            added, deleted, path = token.split(b"\t", 2)
            if path:
                new = _decode(path)
                index += 1
            else:
                new = _decode(tokens[index + 2])
                index += 3
            status, old = statuses.get(new, ("MODIFIED", ""))
            binary = added == b"-"
            if new not in files:
                files[new] = GitFile(
                    path=new,
                    previous_path=old,
                    status=status,
                    additions=0 if binary else _count(added),
                    deletions=0 if binary else _count(deleted),
                    is_binary=binary,
                )
    return list(files.values())
