"""Tasks and a job type for the fault tests (tests/gitinsight/test_job_faults.py). A real
worker imports this module (its working directory is the repository), so it imports no
model at load time: tests/worker_settings.py registers the job type before Django starts."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from workspace.job_types import job_type_register

SIDE_EFFECTS_DDL = "CREATE TABLE IF NOT EXISTS fault_side_effects (key text PRIMARY KEY, writes integer NOT NULL)"
SIDE_EFFECT_UPSERT = (
    "INSERT INTO fault_side_effects (key, writes) VALUES (%s, 1) "
    "ON CONFLICT (key) DO UPDATE SET writes = fault_side_effects.writes + 1"
)


def side_effect_write(key: str) -> None:
    """The side effect every fault task has: an upsert on its natural key, counting writes."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(SIDE_EFFECT_UPSERT, [key])


def slow_job(job, progress) -> dict[str, Any]:
    """Writes its side effect, says it has started, then works for `options.seconds`: a
    worker killed in that while leaves the side effect done and the job unfinished."""
    side_effect_write(f"job:{job.pk}")
    progress.step(10, f"started attempt {job.attempts}")
    time.sleep(job.options.get("seconds", 2))
    return {"attempt": job.attempts}


def connection_cut_once_job(job, progress) -> dict[str, Any]:
    """On its first attempt the database ends the job's connection, as a restart would."""
    from django.db import connection

    if job.attempts == 1:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
    return {"attempt": job.attempts}


def register() -> None:
    job_type_register("fault_slow", "Slow job with a side effect (fault tests)", slow_job)
    job_type_register("fault_connection_cut", "Loses its connection once (fault tests)", connection_cut_once_job)


def record_run(key: str, seconds: float = 0) -> str:
    """A plain task: wait `seconds` without touching the database, then write its side effect."""
    time.sleep(seconds)
    side_effect_write(key)
    return key


def fail_while_flag_exists(flag_path: str) -> str:
    """Fails with the flag file's text as its error until the file is removed."""
    flag = Path(flag_path)
    if flag.exists():
        raise RuntimeError(flag.read_text())
    return "ok"
