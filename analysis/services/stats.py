"""Repository statistics: the materialized view's refresh."""

from __future__ import annotations

from django.db import connection


def repository_stats_refresh() -> None:
    # CONCURRENTLY keeps the view readable during the refresh (it needs the unique index).
    # The view's owner refreshes it: the function runs with its rights (migration 0007).
    with connection.cursor() as cursor:
        cursor.execute("SELECT repository_stats_refresh()")
