"""The benchmark task and its ledger in PostgreSQL.

"Exactly once" over an at-least-once queue: a task may be delivered again (its cluster
died after running it but before its result was acknowledged), so the task records its
completion under a unique key in the same transaction as its effect. A second run finds
the key taken and changes nothing. Every start is logged on its own (autocommit), so the
ledger also shows how often tasks really ran."""

from __future__ import annotations

import os
import time

from django.db import connection, transaction

from gitinsight.database.owner import as_owner

TABLES = """
CREATE TABLE IF NOT EXISTS bench_job_runs (
    id bigserial PRIMARY KEY, key text NOT NULL, pid integer NOT NULL, started_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS bench_job_completions (
    key text PRIMARY KEY, completed_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS bench_job_effects (
    id bigserial PRIMARY KEY, key text NOT NULL, pid integer NOT NULL);
"""


def ledger_create() -> None:
    """As the owner role (the runtime role, which the workers use, may not create tables;
    it gets its rights on them from the owner's default privileges)."""
    with as_owner() as owner, owner.cursor() as cursor:
        cursor.execute(TABLES)


def ledger_clear(prefix: str) -> None:
    with connection.cursor() as cursor:
        for table in ("bench_job_runs", "bench_job_completions", "bench_job_effects"):
            cursor.execute(f"DELETE FROM {table} WHERE key LIKE %s", [f"{prefix}%"])  # noqa: S608 - our names


def bench_job_run(key: str, work_ms: int) -> bool:
    """The task: log the start, work, then apply the effect once per key. True when this
    run applied it, False when an earlier run of the same task already had."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_job_runs (key, pid) VALUES (%s, %s)", [key, os.getpid()])
    time.sleep(work_ms / 1000)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_job_completions (key) VALUES (%s) ON CONFLICT DO NOTHING RETURNING key", [key]
        )
        if cursor.fetchone() is None:
            return False
        cursor.execute("INSERT INTO bench_job_effects (key, pid) VALUES (%s, %s)", [key, os.getpid()])
    return True


def ledger_counts(prefix: str) -> dict[str, int]:
    """completed (keys with an effect), completed_once, duplicated (keys whose effect was
    applied more than once), runs (starts, redeliveries included) and busy_s (first start
    to last completion, by the database's clock: the clusters' start-up is not counted)."""
    like = f"{prefix}%"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE n = 1), count(*) FILTER (WHERE n > 1) "
            "FROM (SELECT key, count(*) AS n FROM bench_job_effects WHERE key LIKE %s GROUP BY key) effects",
            [like],
        )
        completed, once, duplicated = cursor.fetchone()
        cursor.execute(
            "SELECT count(*), extract(epoch FROM "
            "(SELECT max(completed_at) FROM bench_job_completions WHERE key LIKE %s) - min(started_at)) "
            "FROM bench_job_runs WHERE key LIKE %s",
            [like, like],
        )
        runs, busy = cursor.fetchone()
    return {"completed": completed, "completed_once": once, "duplicated": duplicated, "runs": runs,
            "busy_s": float(busy or 0.0)}
