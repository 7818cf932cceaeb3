"""Reads of the workspace: the user's repositories at a glance, for the inbox's side panel."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q

from ingestion.models import Repository


@dataclass(frozen=True)
class RepositoryGlance:
    repository: Repository
    commits: int
    open_pull_requests: int

    @property
    def state(self) -> str:
        repository = self.repository
        if repository.monitoring_status == Repository.MonitoringStatus.ERROR:
            return "stopped after errors"
        return {"pending": "not analysed yet", "running": "being analysed", "failed": "last analysis failed",
                "degraded": "analysed, partly"}.get(repository.analysis_status, "analysed")


def repositories_at_a_glance(user: AbstractBaseUser, *, limit: int = 12) -> list[RepositoryGlance]:
    repositories = Repository.objects.visible_to(user).filter(is_active=True)
    rows = repositories.annotate(
        open_prs=Count("pull_requests", filter=Q(pull_requests__state="open"), distinct=True),
    ).order_by("-last_analyzed", "full_name")[:limit]
    commits = dict(
        Repository.objects.filter(pk__in=[row.pk for row in rows]).annotate(n=Count("commits")).values_list("pk", "n")
    )
    return [RepositoryGlance(row, commits.get(row.pk, 0), row.open_prs) for row in rows]
