"""React to what ingestion stored by enqueueing prediction tasks once the rows are committed
(connected in apps.py)."""

from __future__ import annotations

from django.db import transaction
from django_q.tasks import async_task


def on_commits_ingested(sender, *, repository_id: int, commit_ids: list[int], **kwargs) -> None:
    transaction.on_commit(
        lambda: async_task("analysis.tasks.commits_predict_task", repository_id, list(commit_ids),
                           task_name=f"risk: {len(commit_ids)} commits of {repository_id}"[:100])
    )
    # statistics and trending include a new repository now, not at the next hourly refresh
    transaction.on_commit(
        lambda: async_task("analysis.tasks.repository_stats_refresh_task", task_name="statistics after an ingest")
    )
