"""Commit records straight from a git clone, oldest first, for evaluating a repository or
building the global model's training data from a clone rather than from the ingestion tables
(kept here rather than in benchmarks because risk_train_global, a product command, needs it).
The parsing is ingestion's (`git log --numstat`), so both sources see exactly the same commits
and line counts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from analysis.core.records import CommitRecord, FileChange
from ingestion.core.git_log import GitCommit, GitLogError, git_log_commits

GitHistoryError = GitLogError


def commit_record(commit: GitCommit) -> CommitRecord:
    return CommitRecord(
        sha=commit.sha,
        author=commit.author_email.lower(),
        timestamp=int(commit.authored_at.timestamp()),
        message=commit.message.strip(),
        files=tuple(
            FileChange(path=f.path, additions=f.additions, deletions=f.deletions, old_path=f.previous_path,
                       is_binary=f.is_binary)
            for f in commit.files
        ),
        parents=tuple(commit.parents),
    )


def commits_from_clone(
    path: str | Path, *, revision: str = "HEAD", include_merges: bool = False, exclude_paths: Sequence[str] = ()
) -> Iterator[CommitRecord]:
    """Every commit reachable from `revision`, parents before children, with per-file line
    counts against the first parent (renames detected). `exclude_paths` are left out of every
    commit (a fetched snapshot lacks files of 4 MiB and more, and git cannot count their lines);
    a commit that changed only those paths is left out too."""
    options = ("--topo-order", "--reverse", *(() if include_merges else ("--no-merges",)))
    pathspecs = [f":(exclude,literal){path}" for path in exclude_paths]
    for commit in git_log_commits(str(path), [revision], options=options, pathspecs=pathspecs):
        yield commit_record(commit)
