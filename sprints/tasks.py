"""django-q2 tasks: take ids, call one service, safe to run twice (each run adds a new forecast)."""

from __future__ import annotations

from django.core.cache import cache

from gitinsight.database.tenant_scope import installation_wide, runs_in_organization_of
from ingestion.models import Milestone, Repository
from sprints.receivers import SEARCH_INDEX_QUEUED
from sprints.services.forecasts import milestone_forecast_refresh, open_milestones_refresh
from sprints.services.search_index import search_documents_index, search_documents_index_each


@runs_in_organization_of(Milestone)
def milestone_forecast_refresh_task(milestone_id: int) -> int | None:
    """Returns the new forecast's id; None when the milestone was deleted before the task ran."""
    if not Milestone.objects.filter(pk=milestone_id).exists():
        return None
    return milestone_forecast_refresh(milestone_id).pk


@installation_wide("lists every organization's open milestones; each is forecast in its own scope")
def forecasts_refresh_daily() -> int:
    return open_milestones_refresh()


@installation_wide("lists every organization's active repositories; each is indexed in its own scope")
def search_documents_index_all() -> dict[str, dict[str, int | str]]:
    """The hourly search indexing of every active repository (only changed texts are re-encoded)."""
    return search_documents_index_each(Repository.objects.filter(is_active=True))


@runs_in_organization_of(Repository)
def search_documents_index_task(repository_id: int) -> dict[str, int] | None:
    """One repository's search indexing after an ingest; only changed texts are re-encoded, so
    running it twice changes nothing. None when the repository was deleted meanwhile."""
    # cleared first: commits stored while this run reads the repository queue the next one
    cache.delete(SEARCH_INDEX_QUEUED.format(repository_id))
    if not Repository.objects.filter(pk=repository_id).exists():
        return None
    return search_documents_index(repository_id=repository_id)
