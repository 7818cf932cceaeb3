"""Receivers of ingestion's signals, each enqueuing a task after commit: a changed issue or
conversation (a new comment may link a pull request to an issue) and commits pushed to a
repository (one may supersede a pull request) keep competing work current. A pull request's
new head is analysed by the task for the head (triage.verdicts.services.heads)."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def on_issue_changed(sender: Any, *, repository_id: int, issue_id: int, **kwargs: Any) -> None:
    from django_q.tasks import async_task

    transaction.on_commit(lambda: async_task("triage.duplicates.tasks.competing_work_for_issue_task", issue_id,
                                             task_name=f"competing work of issue {issue_id}"))


def on_commits_ingested(sender: Any, *, repository_id: int, commit_ids: list[int], **kwargs: Any) -> None:
    from django_q.tasks import async_task

    transaction.on_commit(lambda: async_task("triage.duplicates.tasks.superseding_commits_task", repository_id,
                                             commit_ids, task_name=f"superseding commits in {repository_id}"))
