"""Bulk writes of parsed commits: ids drawn from the sequence in one query, then COPY for
commits and their files (through a temporary table, as row-level security asks). The caller
holds the repository row lock, so no other writer adds the same shas meanwhile."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from gitinsight.database.rls import copy_into
from ingestion.core.channels import CHANNEL_RULES_VERSION, classify_path
from ingestion.core.git_log import GitCommit
from ingestion.models import Commit, CommitFile, Repository

_COMMIT_COLUMNS = (
    "id",
    "repository_id",
    "sha",
    "parents",
    "message",
    "author_name",
    "author_email",
    "author_login",
    "committer_name",
    "committer_email",
    "committer_login",
    "authored_at",
    "committed_at",
    "lines_added",
    "lines_deleted",
    "files_changed",
    "is_merge",
    "stats_complete",
    "source",
    "created_at",
)
_FILE_COLUMNS = (
    "repository_id",
    "commit_id",
    "path",
    "previous_path",
    "status",
    "additions",
    "deletions",
    "is_binary",
    "channel",
    "channel_rules_version",
)


def _next_ids(cursor, count: int) -> list[int]:
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [Commit._meta.db_table, count],
    )
    return [row[0] for row in cursor.fetchall()]


def commits_copy(*, repository: Repository, commits: list[GitCommit]) -> list[int]:
    """Insert `commits` (none of which may exist yet) and their files; return the new ids."""
    if not commits:
        return []
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        ids = _next_ids(cursor, len(commits))
        columns = ", ".join(_COMMIT_COLUMNS)
        with copy_into(cursor, Commit._meta.db_table, columns) as copy:
            for commit_id, commit in zip(ids, commits, strict=True):
                copy.write_row(
                    (
                        commit_id,
                        repository.pk,
                        commit.sha,
                        commit.parents,
                        commit.message,
                        commit.author_name[:255],
                        commit.author_email[:255],
                        "",
                        commit.committer_name[:255],
                        commit.committer_email[:255],
                        "",
                        commit.authored_at,
                        commit.committed_at,
                        commit.lines_added,
                        commit.lines_deleted,
                        len(commit.files),
                        len(commit.parents) > 1,
                        True,
                        Commit.Source.GIT,
                        now,
                    )
                )
        _files_copy(cursor, repository, list(zip(ids, commits, strict=True)))
    return ids


def _files_copy(cursor, repository: Repository, commits: list[tuple[int, GitCommit]]) -> None:
    columns = ", ".join(_FILE_COLUMNS)
    with copy_into(cursor, CommitFile._meta.db_table, columns) as copy:
        for commit_id, commit in commits:
            for changed in commit.files:
                copy.write_row(
                    (
                        repository.pk,
                        commit_id,
                        changed.path,
                        changed.previous_path,
                        changed.status,
                        changed.additions,
                        changed.deletions,
                        changed.is_binary,
                        classify_path(changed.path),
                        CHANNEL_RULES_VERSION,
                    )
                )


def commits_complete(*, repository: Repository, commits: dict[int, GitCommit]) -> None:
    """Give commits stored without line counts (id -> parsed commit) their full stats and
    files, in place: rows of other apps may point at them."""
    if not commits:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        CommitFile.objects.filter(commit_id__in=list(commits)).delete()
        for commit_id, commit in commits.items():
            Commit.objects.filter(pk=commit_id).update(
                parents=commit.parents,
                is_merge=len(commit.parents) > 1,
                lines_added=commit.lines_added,
                lines_deleted=commit.lines_deleted,
                files_changed=len(commit.files),
                stats_complete=True,
                authored_at=commit.authored_at,
                committed_at=commit.committed_at,
            )
        _files_copy(cursor, repository, list(commits.items()))
