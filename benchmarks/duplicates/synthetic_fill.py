"""Fill a synthetic repository with indexed PR heads for retrieval load tests."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from benchmarks.duplicates.synthetic import SyntheticHead, SyntheticHistory
from gitinsight.models import Organization
from ingestion.models import PullRequest, Repository
from triage.duplicates.services.signatures import signatures_store_many

CHUNK = 2000


def synthetic_repository_fill(
    *, heads: int, seed: int = 42, progress: Callable[[int], None] | None = None
) -> tuple[Repository, list[SyntheticHead]]:
    """A repository "triage-bench/synthetic-<heads>" with `heads` indexed PR heads (kept
    between runs: only missing heads are added). Returns the generated heads in order."""
    organization, _ = Organization.objects.get_or_create(login="triage-bench", defaults={"name": "Triage bench"})
    repository, _ = Repository.objects.get_or_create(
        full_name=f"triage-bench/synthetic-{heads}-{seed}",
        defaults={"organization": organization, "owner": "triage-bench", "name": f"synthetic-{heads}-{seed}"},
    )
    history = SyntheticHistory(seed)
    generated = [history.head() for _ in range(heads)]
    present = set(PullRequest.objects.filter(repository=repository).values_list("number", flat=True))
    for start in range(0, heads, CHUNK):
        missing = [i for i in range(start, min(start + CHUNK, heads)) if i + 1 not in present]
        if missing:
            with transaction.atomic():  # a chunk's rows and signatures land together, or a rerun adds both
                rows = PullRequest.objects.bulk_create([
                    PullRequest(repository=repository, number=i + 1, title=generated[i].title,
                                head_sha=f"{i + 1:040x}")
                    for i in missing
                ])
                signatures_store_many([(row, row.head_sha, generated[i].signature())
                                       for row, i in zip(rows, missing, strict=True)])
        if progress is not None:
            progress(min(CHUNK, heads - start))
    return repository, generated
