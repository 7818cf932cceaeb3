"""Replay a clone's history through the Postgres index tables (triage_benchmark --postgres):
every pseudo pull request becomes a PR row created in time order, so "older" is "smaller id"; a
head keeps its real number and branch, as its signature's references do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from benchmarks.duplicates.history import PseudoPullRequest
from gitinsight.models import Organization
from ingestion.models import PullRequest, Repository
from triage.duplicates.core.retrieval import Match, rank
from triage.duplicates.core.scoring import DEFAULT_CONFIG
from triage.duplicates.core.signature import PRSignature
from triage.duplicates.selectors import candidate_signatures
from triage.duplicates.services.signatures import signatures_store_many

CHUNK = 1000


def replay_load(
    *, items: list[PseudoPullRequest], name: str, progress: Callable[[int], None] | None = None
) -> list[int]:
    """Pull request ids of the items (in item order), loading the ones not stored yet."""
    organization, _ = Organization.objects.get_or_create(login="triage-bench", defaults={"name": "Triage bench"})
    repository, _ = Repository.objects.get_or_create(
        full_name=f"triage-bench/replay-{name}",
        defaults={"organization": organization, "owner": "triage-bench", "name": f"replay-{name}"},
    )
    stored = {number: pk for number, pk in PullRequest.objects.filter(repository=repository)
              .values_list("number", "pk")}
    for start in range(0, len(items), CHUNK):
        missing = [i for i in range(start, min(start + CHUNK, len(items))) if _number(items[i], i) not in stored]
        with transaction.atomic():  # a chunk's rows and signatures land together, or a rerun adds both
            rows = PullRequest.objects.bulk_create([
                PullRequest(repository=repository, number=_number(items[i], i), title=items[i].title[:1000],
                            body=items[i].body, head_sha=items[i].sha, head_ref=items[i].branch[:255])
                for i in missing
            ])
            signatures_store_many([(row, row.head_sha, items[i].signature)
                                   for row, i in zip(rows, missing, strict=True)])
        stored.update({row.number: row.pk for row in rows})
        if progress is not None:
            progress(min(CHUNK, len(items) - start))
    return [stored[_number(items[i], i)] for i in range(len(items))]


#: landed commits (no pull request of their own) are numbered above every real pull request
COMMIT_NUMBERS = 10_000_000


def _number(item: PseudoPullRequest, position: int) -> int:
    """A head keeps its pull request's number (later pull requests name it); a landed commit gets
    one no pull request has."""
    return getattr(item, "number", 0) or COMMIT_NUMBERS + position


@dataclass
class PostgresSearch:
    """A `search(position, signature, limit)` for evaluate.run_queries backed by the index tables,
    through the same selector and ranking as an analysis run; `pull_request_ids` maps the
    positions of the indexed items to their rows."""

    pull_request_ids: dict[int, int]
    config: dict[str, Any]
    repository_id: int
    position_of: dict[int, int]
    #: the database server process's run time file, when the server runs on this machine
    schedstat: Path | None

    def __call__(self, position: int, signature: PRSignature, limit: int = 10) -> list[Match]:
        found = candidate_signatures(repository_id=self.repository_id, signature=signature,
                                     before_pull_request_id=self.pull_request_ids[position])
        return rank(signature, [(self.position_of[pr], sig, None) for (pr, _), _, sig in found], limit=limit,
                    config=self.config)

    def server_cpu_ns(self) -> int:
        """Nanoseconds the server process of this connection has run so far (0 when unknown)."""
        if self.schedstat is None:
            return 0
        try:
            return int(self.schedstat.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return 0


def _server_schedstat() -> Path | None:
    """/proc/<pid>/schedstat of the connection's server process, if that process runs here."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    process = Path(f"/proc/{pid}")
    try:
        # a remote server's pid may name an unrelated process here
        is_postgres = b"postgres" in (process / "cmdline").read_bytes()
    except OSError:
        return None
    return process / "schedstat" if is_postgres and (process / "schedstat").exists() else None


def replay_search(pull_request_ids: dict[int, int], config: dict[str, Any] = DEFAULT_CONFIG) -> PostgresSearch:
    """The Postgres search over the rows of `replay_load`."""
    repository_id = PullRequest.objects.get(pk=next(iter(pull_request_ids.values()))).repository_id
    return PostgresSearch(pull_request_ids=pull_request_ids, config=config, repository_id=repository_id,
                          position_of={pr_id: i for i, pr_id in pull_request_ids.items()},
                          schedstat=_server_schedstat())
