"""The database backend: Django's, with psycopg's compiled timestamp loader and a health check
that asks the server only when the connection shows a sign of trouble."""

from __future__ import annotations

import time
from datetime import UTC

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader

pytestmark = pytest.mark.django_db(transaction=True)  # the health check runs between transactions


def second_connection() -> psycopg.Connection:
    """Another session of the same role, outside Django."""
    params = connection.get_connection_params()
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    return psycopg.connect(**params, autocommit=True)


def last_statement(pid: int) -> str:
    with second_connection() as other:
        (query,) = other.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    return query


def test_a_quiet_connection_passes_the_health_check_without_a_statement():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid() AS health_check_probe")
        (pid,) = cursor.fetchone()
    assert connection.is_usable()
    assert "health_check_probe" in last_statement(pid)  # no SELECT 1 since


def test_a_connection_the_server_ended_fails_the_health_check_and_is_replaced():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with second_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)  # the server's goodbye takes a moment to arrive
    assert not connection.is_usable()

    connection.health_check_done = False
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_timestamps_load_with_the_compiled_loader_exactly_as_django_loads_them():
    sql = ("SELECT t FROM (VALUES ('2024-03-01 12:00:00.123456+05:30'::timestamptz), ('1970-01-01 00:00:00+00'),"
           " ('2026-12-07 23:59:59.999999-08'), ('0001-01-01 00:00:00+00'), (NULL)) AS v(t)")
    with connection.cursor() as cursor:
        assert "psycopg_binary" in cursor.cursor.adapters.get_loader(1184, psycopg.pq.Format.TEXT).__module__
        cursor.execute(sql)
        compiled = [value for (value,) in cursor.fetchall()]
    with connection.cursor() as cursor:
        register_tzloader(connection.timezone, cursor.cursor)  # Django's own loader
        cursor.execute(sql)
        django = [value for (value,) in cursor.fetchall()]
    assert compiled == django
    assert [value.isoformat() for value in compiled[:-1]] == [value.isoformat() for value in django[:-1]]
    assert all(value.tzinfo is UTC for value in compiled[:-1])
