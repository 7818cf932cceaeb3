"""bench_recovery from start to end: a base backup of the embedded server, webhook
deliveries and audit rows written through the application before and after a moment T,
the WAL archived, a scratch cluster recovered to T beside the live one, and the rows it
holds compared with the rows written."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection

from benchmarks.api_load.database import bench_database
from gitinsight.database.pitr import base_backup_create, cluster_recover, wal_switch_and_wait
from gitinsight.database.recovery import live_cluster
from gitinsight.services.audit import audit_record
from ingestion.core.webhook_signature import signature_for
from ingestion.services.webhooks.intake import delivery_receive


def _write(prefix: str, count: int, *, secret: str) -> list[str]:
    """`count` signed deliveries through the webhook intake, each with an audit row. A
    "star" event is stored and not processed, so no task is queued for a worker."""
    keys = []
    for index in range(count):
        key = f"{prefix}{index:05d}"
        body = json.dumps({"action": "created", "starred_at": None, "sender": {"login": "bench"}}).encode()
        result = delivery_receive(body=body, event="star", delivery_id=key, signature=signature_for(secret, body),
                                  secret=secret)
        assert result.status_code < 300, result.message
        audit_record(user=None, action="bench.recovery", resource_type="bench", resource_id=key)
        keys.append(key)
    return keys


def _server_now():
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def _rows_in(url: str, prefix: str) -> tuple[set[str], set[str]]:
    with psycopg.connect(url, autocommit=True) as conn:
        deliveries = {key for (key,) in conn.execute(
            "SELECT delivery_id FROM webhook_deliveries WHERE delivery_id LIKE %s", [f"{prefix}%"]).fetchall()}
        audited = {key for (key,) in conn.execute(
            "SELECT resource_id FROM audit_logs WHERE action = 'bench.recovery' AND resource_id LIKE %s",
            [f"{prefix}%"]).fetchall()}
    return deliveries, audited


def bench_recovery_run(*, rows_before: int = 300, rows_after: int = 300, database: str = "bench_recovery") -> dict:
    """Recover to a moment between two batches of rows; count what came back."""
    cluster = live_cluster()
    run = uuid.uuid4().hex[:8]
    prefix, secret = f"recovery-{run}-", f"bench-secret-{run}"
    work = Path(tempfile.mkdtemp(prefix="gitinsight-bench-recovery-"))
    work.chmod(0o755)  # the scratch server runs as the embedded server's OS user
    try:
        with bench_database(database):
            name = connection.settings_dict["NAME"]
            started = time.monotonic()
            backup = base_backup_create(cluster, out_dir=work / "base")
            backup_s = time.monotonic() - started
            before = _write(f"{prefix}a-", rows_before, secret=secret)
            target = _server_now()
            time.sleep(0.05)
            after = _write(f"{prefix}b-", rows_after, secret=secret)
            wal_switch_and_wait(cluster)
            started = time.monotonic()
            scratch = cluster_recover(backup=backup, archive_dir=Path(settings.WAL_ARCHIVE_DIR), into=work / "pg",
                                      target=target, like=cluster)
            recovery_s = time.monotonic() - started
            try:
                deliveries, audited = _rows_in(scratch.url(database=name), prefix)
            finally:
                scratch.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    expected = {*(f"d:{key}" for key in before), *(f"a:{key}" for key in before)}
    later = {*(f"d:{key}" for key in after), *(f"a:{key}" for key in after)}
    restored = {*(f"d:{key}" for key in deliveries), *(f"a:{key}" for key in audited)}
    return {
        "database": database,
        "target": target.isoformat(),
        "rows_expected": len(expected),
        "rows_restored": len(restored),
        "lost": len(expected - restored),
        "extra": len(restored & later),
        "base_backup_s": round(backup_s, 1),
        "recovery_s": round(recovery_s, 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
