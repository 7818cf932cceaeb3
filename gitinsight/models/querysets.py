"""Named queries that tables of every app share; a model takes them with
`objects = GitInsightQuerySet.as_manager()`."""

from __future__ import annotations

from typing import Self

from django.db import models


class GitInsightQuerySet(models.QuerySet):
    def latest_per(self, group: str, *newest_first: str) -> Self:
        """The newest row of each `group` (PostgreSQL DISTINCT ON), e.g. the latest analysis of
        each check run: `latest_per("check_run_id")`. Rows of a group are ordered by
        `newest_first` (default newest created first, then highest id); order the result again
        only by wrapping it, as DISTINCT ON needs `group` to lead the ordering."""
        return self.order_by(group, *(newest_first or ("-created_at", "-pk"))).distinct(group)
