"""Receivers of ingestion's signals, each enqueuing a task after commit: a pull request's new head
(a triage run); a changed issue or conversation (a new comment may link a pull request to an
issue) and commits pushed to a repository (one may supersede a pull request) keep competing
work current."""

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


def on_issue_changed(sender: Any, *, repository_id: int, issue_id: int, **kwargs: Any) -> None:
    from django_q.tasks import async_task

    transaction.on_commit(lambda: async_task("triage.duplicates.tasks.competing_work_for_issue_task", issue_id,
                                             task_name=f"competing work of issue {issue_id}"))


def on_commits_ingested(sender: Any, *, repository_id: int, commit_ids: list[int], **kwargs: Any) -> None:
    from django_q.tasks import async_task

    transaction.on_commit(lambda: async_task("triage.duplicates.tasks.superseding_commits_task", repository_id,
                                             commit_ids, task_name=f"superseding commits in {repository_id}"))
