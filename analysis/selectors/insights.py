"""Reads of repository insights and statistics."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from analysis.models import RepositoryStats


def repositories_trending(*, user: AbstractBaseUser, limit: int = 50) -> QuerySet[RepositoryStats]:
    """The trending list: stars + forks + 10 x insights of the last 7 days."""
    queryset = RepositoryStats.objects.visible_to(user).select_related("repository")
    return queryset.order_by("-trending_score", "full_name")[:limit]
