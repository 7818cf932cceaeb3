"""A process counts a key's requests in memory and adds them to the shared counter in batches,
yet loses none and still refuses the request that crosses the limit."""

from __future__ import annotations

import itertools
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gitinsight.api.throttling import (
    PROCESSES_PER_KEY,
    rate_limit_add,
    rate_limit_hit,
    rate_limit_tallies_flush,
)
from gitinsight.models import RateLimitCounter

pytestmark = pytest.mark.django_db
_buckets = itertools.count()


@pytest.fixture
def bucket() -> str:
    """A bucket no other test (or earlier run in this process) has counted in."""
    return f"test:{time.time_ns()}:{next(_buckets)}"


def shared_count(bucket: str) -> int:
    return sum(RateLimitCounter.objects.filter(bucket=bucket).values_list("count", flat=True))


def test_a_busy_key_far_from_its_limit_writes_the_counter_once_not_per_request(bucket):
    with CaptureQueriesContext(connection) as captured:
        counts = [rate_limit_hit(bucket=bucket, limit=1_000_000)[0] for _ in range(100)]
    upserts = [q for q in captured if "rate_limit_counters" in q["sql"]]
    assert len(upserts) <= 3  # the first request, then once a second at most
    assert counts == list(range(1, 101))


def test_no_request_counted_in_memory_is_lost(bucket):
    for _ in range(100):
        rate_limit_hit(bucket=bucket, limit=1_000_000)
    rate_limit_tallies_flush()
    assert shared_count(bucket) == 100


def test_near_a_small_limit_every_request_is_counted_in_the_database_and_the_next_one_refused(bucket):
    allowed = [count <= 20 for count, _ in (rate_limit_hit(bucket=bucket, limit=20) for _ in range(21))]
    assert allowed == [True] * 20 + [False]
    assert shared_count(bucket) == 21


def test_requests_another_process_counted_are_seen_within_this_ones_allowance(bucket):
    limit = 2 * PROCESSES_PER_KEY
    assert rate_limit_hit(bucket=bucket, limit=limit)[0] == 1  # allowance now (limit - 1) // 16 = 1
    start = RateLimitCounter.objects.get(bucket=bucket).window_start.timestamp()
    rate_limit_add(bucket=bucket, requests=limit - 2, window_start=int(start))  # another process

    admitted = 0
    for _ in range(5):
        count, _ = rate_limit_hit(bucket=bucket, limit=limit)
        admitted += count <= limit
    # This process's one remembered request, then the database says the limit is reached.
    assert admitted == 1
    assert 1 + (limit - 2) + admitted == limit


def test_a_new_window_starts_from_zero_and_the_last_ones_requests_are_kept(bucket):
    from datetime import timedelta

    window = timedelta(seconds=2)
    for _ in range(3):
        rate_limit_hit(bucket=bucket, limit=1_000_000, window=window)
    time.sleep(2.05)
    count, reset_in = rate_limit_hit(bucket=bucket, limit=1_000_000, window=window)
    assert (count, 0 < reset_in <= 2) == (1, True)
    rate_limit_tallies_flush()
    assert shared_count(bucket) == 4
