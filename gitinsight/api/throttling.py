from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from gitinsight.models import ApiKey

WINDOW = timedelta(hours=1)
# A process counts a key's requests in memory and adds them to the shared counter at least this
# often, and sooner when the key nears its limit (see _Tally.allowance).
FLUSH_SECONDS = 1.0
# What share of the limit left a process may count in memory before the next flush (see _Tally).
PROCESSES_PER_KEY = 16


def rate_limit_add(*, bucket: str, requests: int, window_start: int) -> int:
    """Add `requests` to the count of `bucket` in the window starting at `window_start`
    (epoch seconds); the new count. The upsert is one statement, so concurrent workers never
    lose a count.

    It commits without waiting for the WAL flush (synchronous_commit off for this one
    transaction, set inside the statement): a synchronous commit waited 6-10 ms per API
    request on a busy disk, against 0.1 ms. A crash may forget the last fraction of a
    second of counts, which a rate limit can afford."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO rate_limit_counters (bucket, window_start, count)
            SELECT %s, to_timestamp(%s), %s FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit
            ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_limit_counters.count + EXCLUDED.count
            RETURNING count
            """,
            [bucket, window_start, requests],
        )
        (count,) = cursor.fetchone()
    return count


@dataclass
class _Tally:
    """One process's requests of one bucket in one window that the shared counter has not seen.

    After each flush the process may count `allowance` requests in memory before the next:
    1/PROCESSES_PER_KEY of what was left of the limit, so near the limit every request goes
    to the database. One process serving a key refuses exactly the request that crosses the
    limit; several may admit, past it, what they counted in memory since their last flush,
    which is at most a second's requests and at most their allowances. A process that dies
    forgets at most its allowance (and a second's requests), as a crash of the database may."""

    window_start: int
    count: int = 0  # the shared count at the last flush
    pending: int = 0
    allowance: int = 0
    flushed: float = field(default_factory=time.monotonic)


_tallies: dict[str, _Tally] = {}
_lock = threading.Lock()


def rate_limit_hit(*, bucket: str, limit: int, window: timedelta = WINDOW) -> tuple[int, float]:
    """Count one request in the current fixed window; return (the count as far as this process
    knows it, seconds until the window resets)."""
    epoch_seconds = int(timezone.now().timestamp())
    width = int(window.total_seconds())
    start = epoch_seconds - epoch_seconds % width
    with _lock:
        tally = _tallies.get(bucket)
        if tally is None or tally.window_start != start:
            if tally is not None and tally.pending:
                rate_limit_add(bucket=bucket, requests=tally.pending, window_start=tally.window_start)
            tally = _tallies[bucket] = _Tally(window_start=start)
        tally.pending += 1
        now = time.monotonic()
        if tally.pending > tally.allowance or now - tally.flushed >= FLUSH_SECONDS:
            tally.count = rate_limit_add(bucket=bucket, requests=tally.pending, window_start=start)
            tally.pending, tally.flushed = 0, now
            tally.allowance = max(0, limit - tally.count) // PROCESSES_PER_KEY
        count = tally.count + tally.pending
    return count, float(start + width - epoch_seconds)


def rate_limit_tallies_flush() -> None:
    """Add every request counted in memory to the shared counters (a process about to exit)."""
    with _lock:
        for bucket, tally in _tallies.items():
            if tally.pending:
                tally.count = rate_limit_add(bucket=bucket, requests=tally.pending, window_start=tally.window_start)
                tally.pending = 0
        _tallies.clear()


class ApiKeyRateThrottle(BaseThrottle):
    """Per-key limit of `ApiKey.rate_limit` requests per hour, never above API_KEY_MAX_RATE_LIMIT
    (a key that asked for more before there was a ceiling gets the ceiling)."""

    def allow_request(self, request: Request, view) -> bool:
        api_key = request.auth
        if not isinstance(api_key, ApiKey):
            return True
        limit = min(api_key.rate_limit, settings.API_KEY_MAX_RATE_LIMIT)
        count, self._reset_in = rate_limit_hit(bucket=f"api_key:{api_key.pk}", limit=limit)
        return count <= limit

    def wait(self) -> float | None:
        return getattr(self, "_reset_in", None)
