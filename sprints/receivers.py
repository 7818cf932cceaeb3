"""Refresh a milestone's forecast when ingestion stores a change to it or to one of its issues; the task
is enqueued once the rows are committed (connected in apps.py)."""

from __future__ import annotations

from django.db import transaction
from django_q.tasks import async_task

from ingestion.models import Issue


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
