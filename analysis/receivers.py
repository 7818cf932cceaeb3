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


def on_pull_request_head(sender, *, pull_request_id: int, head_sha: str, **kwargs) -> None:
    transaction.on_commit(
        lambda: async_task("analysis.tasks.pull_request_predict_task", pull_request_id, head_sha,
                           task_name=f"risk: pull request {pull_request_id}"[:100])
    )
