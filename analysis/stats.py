"""Repository statistics (the materialized view) and the trending list."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import QuerySet

from analysis.models import RepositoryStats
from gitinsight.selectors import visible_to


def repository_stats_refresh() -> None:
    # CONCURRENTLY keeps the view readable during the refresh (it needs the unique index).
    # The view's owner refreshes it: the function runs with its rights (migration 0006).
    with connection.cursor() as cursor:
        cursor.execute("SELECT repository_stats_refresh()")


def repositories_trending(*, user: AbstractBaseUser, limit: int = 50) -> QuerySet[RepositoryStats]:
    """Seed 001's trending list: stars + forks + 10 x insights of the last 7 days."""
    queryset = RepositoryStats.objects.select_related("repository")
    return visible_to(queryset, user, organization_path="repository__organization").order_by(
        "-trending_score", "full_name"
    )[:limit]
