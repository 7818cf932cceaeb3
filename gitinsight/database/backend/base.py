"""Django's PostgreSQL backend, with two savings on every request:

- Timestamps load through psycopg's compiled loader. Django registers its own loader for
  `timestamptz`, a Python subclass of psycopg's that attaches Django's time zone, and psycopg
  swaps only its own classes for their compiled versions: on a list of 100 rows Django's
  loader is a tenth of the request. When Django's time zone and the session's are both UTC,
  the compiled loader returns the very same values (aware, in `datetime.UTC`), so
  unnamed cursors use it; any other setting keeps Django's.
- A health check that costs no round trip. CONN_HEALTH_CHECKS makes Django check a reused
  connection before the first query of each request (and each job) with `SELECT 1`. A
  connection the server has closed (a restart, `pg_terminate_backend`, a crash) has something
  to read on its socket: the server's last error message or the end of the stream; an idle
  connection in good health has nothing, since the server sends nothing unasked to a client
  that does not LISTEN. So a quiet, idle socket passes at once, and anything else gets
  Django's `SELECT 1`, whose failure closes the connection before a request uses it.
"""

from __future__ import annotations

import select
from datetime import UTC

import psycopg
from django.db.backends.postgresql import base
from psycopg import pq
from psycopg.types.datetime import TimestamptzLoader

UTC_NAMES = frozenset({"UTC", "Etc/UTC"})


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        cursor = super().create_cursor(name)
        # Named (server-side) cursors keep Django's loader: rare, and set up by Django its own way.
        if name is None and self.timezone is UTC and (
            self.connection.info.parameter_status("TimeZone") in UTC_NAMES
        ):
            cursor.adapters.register_loader(base.TIMESTAMPTZ_OID, TimestamptzLoader)
        return cursor

    def is_usable(self) -> bool:
        if self.connection is None:
            return False
        if _quiet_and_idle(self.connection):
            return True
        return super().is_usable()


def _quiet_and_idle(connection: psycopg.Connection) -> bool:
    """Open, outside any transaction, and nothing waiting on the socket."""
    if connection.closed or connection.broken:
        return False
    pgconn = connection.pgconn
    if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status != pq.TransactionStatus.IDLE:
        return False
    try:
        readable, _, _ = select.select([pgconn.socket], [], [], 0)
    except (OSError, ValueError, psycopg.Error):
        return False
    return not readable
