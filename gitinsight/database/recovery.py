"""Point-in-time recovery of the configured (embedded) database: the daily base backup,
and `restore --to`, which replaces the server's data with the database as it was at a
moment (gitinsight/database/pitr.py does the work). An external server is recovered with its own
tooling (README, "Deployment")."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connections

from gitinsight.database.pitr import (
    BaseBackup,
    PgCluster,
    RecoveryError,
    base_backup_create,
    base_backup_for,
    base_backups,
    base_backups_prune,
    cluster_recover,
    embedded_cluster,
    recovery_settings_clear,
    wal_switch_and_wait,
)


def live_cluster() -> PgCluster:
    """The embedded server, with WAL archiving on; RecoveryError otherwise."""
    if not settings.EMBEDDED_DB:
        raise RecoveryError(
            "Point-in-time recovery here works on the embedded server; with DATABASE_URL set, use the server's "
            "own base backups and WAL archive (README, Deployment)."
        )
    if not settings.WAL_ARCHIVE_DIR:
        raise RecoveryError("WAL archiving is off (WAL_ARCHIVE_DIR is empty): there is nothing to recover from.")
    return embedded_cluster(Path(settings.EMBEDDED_DB_DIR))


def base_backup_take() -> BaseBackup:
    """A base backup now, then the expired ones and the archived WAL only they needed go."""
    cluster = live_cluster()
    backup = base_backup_create(cluster, out_dir=Path(settings.BASE_BACKUP_DIR))
    base_backups_prune(cluster, backup_dir=Path(settings.BASE_BACKUP_DIR), archive_dir=Path(settings.WAL_ARCHIVE_DIR),
                       keep_days=settings.BACKUP_RETENTION_DAYS)
    return backup


def base_backup_take_unless_recent(*, within: timedelta) -> BaseBackup | None:
    """A base backup, unless the server is external (None), WAL archiving is off, or one
    finished less than `within` ago (a retry, a manual one)."""
    if not settings.EMBEDDED_DB or not settings.WAL_ARCHIVE_DIR:
        return None
    existing = base_backups(Path(settings.BASE_BACKUP_DIR))
    if existing and existing[-1].finished > datetime.now(UTC) - within:
        return None
    return base_backup_take()


@dataclass(frozen=True)
class RestoreToReport:
    target: str
    base_backup: str
    replaced_data_kept_in: str


def database_restore_to(target: datetime) -> RestoreToReport:
    """Replace the embedded server's data with its state at `target`: the newest base
    backup before it, replayed from the WAL archive up to `target`. The data it replaces
    is kept beside it (renamed), not deleted. Refuses while another process (web server,
    worker) is attached."""
    cluster = live_cluster()
    if target.tzinfo is None:
        raise RecoveryError("Give the time with its offset, e.g. 2026-12-07T13:45:00+00:00.")
    others = _other_attached_processes(cluster.pgdata)
    if others:
        raise RecoveryError(
            f"Processes {', '.join(map(str, others))} use the database: stop the web server and the worker first."
        )
    if target > datetime.now(UTC):
        raise RecoveryError(f"{target.isoformat()} is in the future.")
    backup = base_backup_for(Path(settings.BASE_BACKUP_DIR), target)
    wal_switch_and_wait(cluster)  # everything committed so far is in the archive
    connections.close_all()
    stamp = f"{datetime.now(UTC):%Y%m%dT%H%M%S}Z"
    restoring = cluster.pgdata.with_name(f"{cluster.pgdata.name}.restoring-{stamp}")
    recovered = cluster_recover(backup=backup, archive_dir=Path(settings.WAL_ARCHIVE_DIR), into=restoring,
                                target=target, like=cluster, keep_archiving=True)
    recovered.stop()
    cluster.stop()
    replaced = cluster.pgdata.with_name(f"{cluster.pgdata.name}.replaced-{stamp}")
    os.replace(cluster.pgdata, replaced)
    os.replace(restoring, cluster.pgdata)
    restored = PgCluster(pgdata=cluster.pgdata, bin_dir=cluster.bin_dir, system_user=cluster.system_user,
                         socket_dir=cluster.socket_dir)
    recovery_settings_clear(restored)
    # The backup copied the list of processes attached at the time; none of them is.
    (restored.pgdata / ".handle_pids.json").write_text(json.dumps([]))
    return RestoreToReport(target=target.isoformat(), base_backup=backup.path, replaced_data_kept_in=str(replaced))


def _other_attached_processes(pgdata: Path) -> list[int]:
    import psutil

    try:
        pids = json.loads((pgdata / ".handle_pids.json").read_text() or "[]")
    except (OSError, ValueError):
        return []
    return [pid for pid in pids if pid != os.getpid() and psutil.pid_exists(pid)]
