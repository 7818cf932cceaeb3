"""Database backups with PostgreSQL's own tools: a compressed custom-format dump (what
`restore` reads) and a plain-SQL schema beside it, named by UTC time, pruned after
BACKUP_RETENTION_DAYS. Each run is recorded in `backups.json` in the backup folder, which
the operations page reads as "last backup" (the platform app keeps no model for it)."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection

from gitinsight.database.owner import as_owner, owner_role
from gitinsight.database.pg_clients import (
    PgClient,
    PgClientNotFound,
    PgTarget,
    PgToolFailed,
    pg_client_for,
    pg_target_for,
    restore_sql,
)
from gitinsight.database.roles import OWNED_OBJECTS_DROP_SQL, runtime_grants_sql

MANIFEST_NAME = "backups.json"
MANIFEST_KEEP = 200
PREFIX = "gitinsight_"
# A restore must take exclusive locks on every table; rather than hang behind a running
# web server or worker, it gives up with a message saying to stop them.
RESTORE_LOCK_TIMEOUT = "30s"


class BackupError(RuntimeError):
    """A backup or restore failed; the message is fit to show an operator."""


class BackupBusy(BackupError):
    pass


@dataclass(frozen=True)
class BackupRun:
    started_at: str  # ISO 8601, UTC
    status: str  # "ok" or "error"
    duration_s: float
    database: str
    file: str = ""
    schema_file: str = ""
    size_bytes: int = 0
    pruned: int = 0
    error: str = ""


def backup_dir() -> Path:
    return Path(settings.BACKUP_DIR)


def backup_create(*, out_dir: Path | None = None, target: PgTarget | None = None) -> BackupRun:
    """Dump the database into `out_dir` (default BACKUP_DIR), then prune expired backups
    there. The run is recorded in the manifest whether it succeeds or not; on failure
    BackupError is raised after recording."""
    out_dir = Path(out_dir or backup_dir())
    try:
        out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"The backup folder {out_dir} cannot be created: {exc}") from exc
    started = datetime.now(UTC)
    clock = time.monotonic()
    with _exclusive(out_dir):
        try:
            target = target or _configured_target()
            dump, schema = _dump(target=target, out_dir=out_dir, started=started)
            pruned = backups_prune(directory=out_dir, keep=(dump, schema))
        except BackupError as exc:
            run = BackupRun(
                started_at=started.isoformat(),
                status="error",
                duration_s=round(time.monotonic() - clock, 2),
                database=target.dbname if target else str(connection.settings_dict["NAME"]),
                error=str(exc),
            )
            _manifest_append(out_dir, run)
            raise
        run = BackupRun(
            started_at=started.isoformat(),
            status="ok",
            duration_s=round(time.monotonic() - clock, 2),
            database=target.dbname,
            file=str(dump),
            schema_file=str(schema),
            size_bytes=dump.stat().st_size,
            pruned=pruned,
        )
        _manifest_append(out_dir, run)
    return run


def backup_create_unless_recent(*, within: timedelta) -> BackupRun | None:
    """The scheduled backup: skipped when a successful one is younger than `within`, so a
    retried or doubled schedule does not dump twice."""
    last = backup_last(status="ok")
    if last is not None and datetime.fromisoformat(last.started_at) > datetime.now(UTC) - within:
        return None
    return backup_create()


def backups_prune(*, directory: Path, keep: tuple[Path, ...] = (), now: datetime | None = None) -> int:
    """Delete this app's backup files older than BACKUP_RETENTION_DAYS (by mtime) in
    `directory`; other files and the paths in `keep` are never touched."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=settings.BACKUP_RETENTION_DAYS)
    deleted = 0
    for path in directory.glob(f"{PREFIX}*"):
        if path in keep or path.suffix not in (".dump", ".sql", ".partial") or not path.is_file():
            continue
        if datetime.fromtimestamp(path.stat().st_mtime, tz=UTC) < cutoff:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def backup_runs(*, directory: Path | None = None) -> list[BackupRun]:
    """Recorded runs, newest first."""
    path = Path(directory or backup_dir()) / MANIFEST_NAME
    try:
        entries = json.loads(path.read_text())
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise BackupError(f"The backup manifest {path} is unreadable: {exc}") from exc
    return [BackupRun(**entry) for entry in reversed(entries)]


def backup_last(*, directory: Path | None = None, status: str | None = None) -> BackupRun | None:
    for run in backup_runs(directory=directory):
        if status is None or run.status == status:
            return run
    return None


def backup_check(*, path: Path, target: PgTarget | None = None) -> int:
    """Raise BackupError unless `path` is a readable custom-format archive; return how
    many entries its table of contents lists."""
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    client = _client(target or _configured_target())
    listing = _run(
        [client.program("pg_restore"), "--list", str(path)], env={}, what=f"{path} is not a readable backup archive"
    )
    return sum(1 for line in listing.splitlines() if line and not line.startswith(";"))


def backup_restore(*, path: Path, target: PgTarget | None = None) -> None:
    """Replace the tables of `target` (default: the configured database) with the
    archive's, in one transaction: if anything fails, the database is left as it was.

    The owner role restores: it drops every table, view, sequence and function it owns
    (rather than pg_restore --clean, which cannot drop the partitions of a partitioned
    table) and recreates them from the archive; the extensions a superuser installed stay.
    Dropping tables is allowed by the audit log's append-only trigger (it forbids row
    DELETE and UPDATE only), and the trigger comes back with the table. The runtime role's
    rights are granted again in the same transaction. Run `migrate` after restoring a
    backup older than the code."""
    target = target or _configured_target()
    backup_check(path=path, target=target)
    client = _client(target)
    if target.dbname == connection.settings_dict["NAME"]:
        connection.close()  # our own idle session must not hold locks the DROP waits for
    try:
        restore_sql(
            client=client,
            target=target,
            archive=path,
            preamble=f"SET lock_timeout = '{RESTORE_LOCK_TIMEOUT}'; SET client_min_messages = warning; "
            f"{OWNED_OBJECTS_DROP_SQL};",
            postamble=_grants_sql(),
        )
    except PgToolFailed as exc:
        detail = str(exc)
        if "lock timeout" in detail:
            detail += " (stop the web server and the worker, then restore again)"
        raise BackupError(f"restoring {path.name} into {target.dbname} failed: {detail}") from exc


def database_fingerprint(cursor) -> dict[str, tuple[int, str]]:
    """Row count and an md5 of the sorted rows of every table in the public schema, to
    prove a restore reproduced the database (reads every row: for checks, not dashboards)."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    fingerprint = {}
    for (table,) in cursor.fetchall():
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM public.{quoted} t"  # noqa: S608
        )
        count, digest = cursor.fetchone()
        fingerprint[table] = (count, digest)
    return fingerprint


def _dump(*, target: PgTarget, out_dir: Path, started: datetime) -> tuple[Path, Path]:
    client = _client(target)
    stem = f"{PREFIX}{target.dbname}_{started:%Y%m%dT%H%M%S}Z"
    suffix = 0
    while (out_dir / f"{stem}.dump").exists():
        suffix += 1
        stem = f"{PREFIX}{target.dbname}_{started:%Y%m%dT%H%M%S}Z_{suffix}"
    dump, schema = out_dir / f"{stem}.dump", out_dir / f"{stem}_schema.sql"
    partial = [out_dir / f"{dump.name}.partial", out_dir / f"{schema.name}.partial"]
    pg_dump = [client.program("pg_dump"), f"--dbname={target.dbname}"]
    try:
        _run([*pg_dump, "--format=custom", "--compress=9", f"--file={partial[0]}"], env=target.env, what="pg_dump")
        _run(
            [*pg_dump, "--schema-only", "--format=plain", f"--file={partial[1]}"],
            env=target.env,
            what="pg_dump --schema-only",
        )
        # Never leave a dump named as finished that pg_restore could not read.
        backup_check(path=partial[0], target=target)
        for path in partial:
            path.chmod(0o600)  # a dump holds every secret the database does (key hashes, tokens)
        os.replace(partial[0], dump)
        os.replace(partial[1], schema)
    finally:
        for path in partial:
            path.unlink(missing_ok=True)
    return dump, schema


def _grants_sql() -> str:
    owner = owner_role()
    if owner is None:
        return ""
    return "; ".join(runtime_grants_sql(runtime=settings.DATABASE_RUNTIME_USER, owner=owner)) + ";"


def _configured_target() -> PgTarget:
    """The configured database, reached as the owner role: it owns (and so can read and
    recreate) every table, the audit log's partitions included."""
    try:
        with as_owner() as owner:
            return pg_target_for(owner)
    except DatabaseError as exc:
        raise BackupError(f"The database cannot be reached: {str(exc).strip() or type(exc).__name__}") from exc


def _client(target: PgTarget) -> PgClient:
    try:
        return pg_client_for(target.server_major)
    except PgClientNotFound as exc:
        raise BackupError(str(exc)) from exc


def _run(command: list[str], *, env: dict[str, str], what: str) -> str:
    """Run a client program; BackupError("<what>: <its first error lines>") if it fails."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **env}, check=False)
    except OSError as exc:
        raise BackupError(f"{what}: {command[0]} could not start: {exc}") from exc
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        detail = "; ".join(lines[:3]) or f"exit status {result.returncode}"
        raise BackupError(f"{what}: {detail}")
    return result.stdout


@contextmanager
def _exclusive(directory: Path) -> Iterator[None]:
    with open(directory / ".backup.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BackupBusy(f"Another backup into {directory} is running.") from exc
        yield


def _manifest_append(directory: Path, run: BackupRun) -> None:
    path = directory / MANIFEST_NAME
    try:
        entries = json.loads(path.read_text())
    except (OSError, ValueError):
        entries = []
    entries = [*entries, asdict(run)][-MANIFEST_KEEP:]
    partial = path.with_suffix(".json.partial")
    partial.write_text(json.dumps(entries, indent=1))
    os.replace(partial, path)
