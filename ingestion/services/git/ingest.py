"""Ingest a local clone: every commit of a branch with per-file stats, only new ones on
a re-run, written in batches with COPY."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count

from gitinsight.database.tenant_scope import system_scope
from gitinsight.models import Organization
from ingestion import signals
from ingestion.core.git_log import GitCommit, git_log_commits
from ingestion.core.normalize.names import full_name_check
from ingestion.models import Commit, CommitFile, Repository
from ingestion.selectors import RepositoryNotFound, commit_shas, commits_incomplete, repository_by_full_name
from ingestion.services.git.walker import Clone, clone_open, commit_count, revisions_since
from ingestion.services.git.writer import commits_complete, commits_copy
from ingestion.services.repositories import organization_for_login
from ingestion.services.rows import announce

BATCH_SIZE = 2000


@dataclass(frozen=True)
class IngestSummary:
    repository_id: int
    full_name: str
    branch: str
    head_sha: str
    commits_new: int
    commits_seen: int
    files: int
    seconds: float

    def line(self) -> str:
        return (
            f"{self.full_name}@{self.branch}: {self.commits_new} new commits ({self.commits_seen} read, "
            f"{self.files} file changes) in {self.seconds:.1f}s"
        )


def repository_for_clone(
    *, clone: Clone, full_name: str | None = None, organization: Organization | None = None
) -> Repository:
    """The repository a clone feeds: found by full name, else created in `organization`
    (else the organization named like the owner). It has no GitHub id until a GitHub
    source (webhook, REST) of the same organization adopts it by name. A row of another
    organization than `organization` is refused (ValueError)."""
    full_name = full_name_check(full_name or clone.default_full_name)
    owner, _, name = full_name.partition("/")
    # A name belongs to one organization: the check sees them all (row-level security's
    # system scope).
    with system_scope():
        try:
            existing = repository_by_full_name(full_name)
        except RepositoryNotFound:
            pass
        else:
            if organization is not None and existing.organization_id != organization.pk:
                raise ValueError(f"{full_name} belongs to another organization than {organization.login}")
            return existing
        return Repository.objects.create(
            organization=organization or organization_for_login(owner),
            owner=owner,
            name=name,
            full_name=full_name,
            default_branch=clone.branch,
            local_path=clone.path,
        )


def clone_ingest(
    *,
    path: str,
    full_name: str | None = None,
    branch: str | None = None,
    repository: Repository | None = None,
    progress: Callable[[int], object] | None = None,
    on_total: Callable[[int], object] | None = None,
    announce_commits: bool = True,
) -> IngestSummary:
    """Ingest the commits of `branch` (default: the clone's HEAD) that are not stored yet.
    `progress(n)` is called after each batch; `on_total(n)` once the count is known.
    Without `announce_commits` no `commits_ingested` signal is sent (benchmarks)."""
    started = time.perf_counter()
    clone = clone_open(path, branch=branch)
    repository = repository or repository_for_clone(clone=clone, full_name=full_name)
    heads = dict(repository.metadata.get("git_heads") or {})
    revisions = revisions_since(clone, heads.get(clone.branch))
    if on_total is not None:
        on_total(commit_count(clone, revisions))
    known = commit_shas(repository) if revisions else set()
    # Commits a push webhook stored without line counts get them from the clone.
    incomplete = commits_incomplete(repository) if revisions else {}
    new_count = seen = files = 0
    batch: list[GitCommit] = []

    def flush() -> None:
        nonlocal new_count, files
        fresh = [commit for commit in batch if commit.sha not in known]
        completing = {incomplete.pop(c.sha): c for c in batch if c.sha in incomplete}
        with transaction.atomic():
            # The lock serialises two ingests of one repository.
            Repository.objects.select_for_update(no_key=True).filter(pk=repository.pk).first()
            ids = commits_copy(repository=repository, commits=fresh)
            commits_complete(repository=repository, commits=completing)
            if ids and announce_commits:
                announce(signals.commits_ingested, sender=Commit, repository_id=repository.pk, commit_ids=ids)
        known.update(commit.sha for commit in fresh)
        new_count += len(fresh)
        files += sum(len(commit.files) for commit in fresh)
        if progress is not None:
            progress(len(batch))
        batch.clear()

    if revisions:
        for commit in git_log_commits(clone.path, revisions):
            seen += 1
            batch.append(commit)
            if len(batch) >= BATCH_SIZE:
                flush()
        flush()
    _record_head(repository, clone)
    return IngestSummary(
        repository_id=repository.pk,
        full_name=repository.full_name,
        branch=clone.branch,
        head_sha=clone.head_sha,
        commits_new=new_count,
        commits_seen=seen,
        files=files,
        seconds=time.perf_counter() - started,
    )


def _record_head(repository: Repository, clone: Clone) -> None:
    with transaction.atomic():
        locked = Repository.objects.select_for_update(no_key=True).get(pk=repository.pk)
        locked.metadata = {
            **locked.metadata,
            "git_heads": {**(locked.metadata.get("git_heads") or {}), clone.branch: clone.head_sha},
        }
        locked.local_path = clone.path
        locked.contributor_count = (
            Commit.objects.filter(repository=locked).aggregate(n=Count("author_email", distinct=True))["n"] or 0
        )
        locked.save(update_fields=["metadata", "local_path", "contributor_count", "updated_at"])
        repository.metadata = locked.metadata


def repository_discard(*, repository_id: int) -> None:
    """Delete a throwaway repository (a benchmark's) and its commits with plain SQL: the
    ORM's cascade would load every commit first."""
    with transaction.atomic(), connection.cursor() as cursor:
        for table in (CommitFile._meta.db_table, Commit._meta.db_table, Repository._meta.db_table):
            column = "id" if table == Repository._meta.db_table else "repository_id"
            cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [repository_id])  # noqa: S608 - fixed names
