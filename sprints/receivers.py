"""Refresh a milestone's forecast when ingestion stores a change to it or to one of its issues,
and a repository's search index when its commits are ingested; the tasks are enqueued once the
rows are committed (connected in apps.py)."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django_q.tasks import async_task

from ingestion.models import Issue

#: set while a repository's search indexing waits in the queue (the task clears it as it starts)
SEARCH_INDEX_QUEUED = "sprints:search-index-queued:{}"


def _enqueue_refresh(milestone_id: int) -> None:
    transaction.on_commit(
        lambda: async_task(
            "sprints.tasks.milestone_forecast_refresh_task",
            milestone_id,
            task_name=f"forecast: milestone {milestone_id}"[:100],
        )
    )


def on_issue_changed(sender, *, issue_id: int, **kwargs) -> None:
    milestone_id = Issue.objects.filter(pk=issue_id).values_list("milestone_id", flat=True).first()
    if milestone_id is not None:
        _enqueue_refresh(milestone_id)


def on_milestone_changed(sender, *, milestone_id: int, **kwargs) -> None:
    _enqueue_refresh(milestone_id)


def on_commits_ingested(sender, *, repository_id: int, **kwargs) -> None:
    """Search finds a new repository's (or a push's) commits now, not at the next hourly
    indexing. An ingest announces its commits in batches: while one indexing of the
    repository waits in the queue, the later batches are left to it."""
    transaction.on_commit(lambda: _enqueue_search_index(repository_id))


def _enqueue_search_index(repository_id: int) -> None:
    if cache.add(SEARCH_INDEX_QUEUED.format(repository_id), True, timeout=3600):
        async_task("sprints.tasks.search_documents_index_task", repository_id,
                   task_name=f"search index: repository {repository_id}"[:100])
