"""Repository statistics: the materialized view's refresh."""

from __future__ import annotations

from django.db import connection


def repository_stats_refresh() -> None:
    # CONCURRENTLY keeps the view readable during the refresh (it needs the unique index).
    with connection.cursor() as cursor:
        cursor.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY repository_stats")
