"""Receivers of ingestion's pull request signals: enqueue a triage run after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def _enqueue(pull_request_id: int, head_sha: str) -> None:
    from django_q.tasks import async_task

    async_task("triage.duplicates.tasks.analysis_run_task", pull_request_id, head_sha,
               task_name=f"triage #{pull_request_id}@{head_sha[:10]}")


def on_pull_request_head(sender: Any, *, pull_request_id: int, head_sha: str, **kwargs: Any) -> None:
    """A new PR or a new head: analyse it (a new push is a new run)."""
    if head_sha:
        transaction.on_commit(lambda: _enqueue(pull_request_id, head_sha))
