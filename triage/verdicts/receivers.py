"""Receivers: a head first seen or replaced, an analysis of a head finished, a button pressed
on GitInsight's check run. Each enqueues a task once the sender's transaction commits; check
runs off for the repository cost one query in the task, nothing here."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django_q.tasks import async_task

from triage.duplicates.models import AnalysisRun
from triage.verdicts.services.heads import check_run_edits_held

_FINISHED = {AnalysisRun.Status.DONE, AnalysisRun.Status.DEGRADED, AnalysisRun.Status.FAILED}


def _later(task: str, *args: Any) -> None:
    transaction.on_commit(partial(async_task, task, *args, task_name=f"{task.rsplit('.', 1)[-1]} {args[0]}"[:100]))


def on_pull_request_head(sender: Any, *, pull_request_id: int, head_sha: str,
                         previous_head_sha: str | None = None, **kwargs: Any) -> None:
    """A pull request opened, or its head moved: one task supersedes the old head's check run,
    starts the new one's, predicts the risk, finds duplicates and edits the check run once
    (triage.verdicts.services.heads)."""
    if head_sha or previous_head_sha:
        _later("triage.verdicts.tasks.pull_request_head_task", pull_request_id, head_sha, previous_head_sha)


def on_duplicates_run_saved(sender: Any, *, instance: AnalysisRun, update_fields=None, **kwargs: Any) -> None:
    """An analysis finished outside a head's task (a maintainer asked for another, a backfill)."""
    if instance.status in _FINISHED and not check_run_edits_held():
        _later("triage.verdicts.tasks.check_run_publish_task", instance.pull_request_id, instance.head_sha)


def on_risk_predicted(sender: Any, *, instance: Any, created: bool, **kwargs: Any) -> None:
    if created and not check_run_edits_held():
        _later("triage.verdicts.tasks.check_run_publish_task", instance.pull_request_id, instance.head_sha)


def on_failure_analysed(sender: Any, *, instance: Any, **kwargs: Any) -> None:
    if instance.pull_request_id and instance.status != "pending":
        _later("triage.verdicts.tasks.failure_analysed_task", instance.pk)


def on_check_run_action_requested(sender: Any, *, repository_id: int, check_run_github_id: int, identifier: str,
                                  requested_by: str = "", **kwargs: Any) -> None:
    _later("triage.verdicts.tasks.check_run_rerun_task", repository_id, check_run_github_id, identifier,
           requested_by)
