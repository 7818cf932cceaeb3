"""One REST sync per repository at a time (a backfill and a poll, or two backfills, would
otherwise read the same cursors). A PostgreSQL advisory lock on the session: released
when the block ends, or by PostgreSQL when a crashed worker's connection goes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

#: first half of the two-int advisory key, so our locks never meet another feature's
_NAMESPACE = 0x6749_5359  # "gISY"


class RepositoryBusy(Exception):
    """Another worker is syncing this repository right now."""


@contextmanager
def repository_sync_lock(repository_id: int) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_NAMESPACE, repository_id])
        (acquired,) = cursor.fetchone()
    if not acquired:
        raise RepositoryBusy(f"repository {repository_id} is being synced by another worker")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_NAMESPACE, repository_id])
