"""The check run's "Re-analyse" button (GitHub's `requested_action`): every analysis of that
head runs again, and the check run goes back to in progress until they have."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from ingestion.models import CheckRun
from triage.failures.selectors.facts import FAILED_CONCLUSIONS
from triage.verdicts.core.markdown import RERUN_ACTION
from triage.verdicts.models import PullRequestCheckRun


def check_run_rerun(*, repository_id: int, check_run_github_id: int, identifier: str,
                    requested_by: str) -> PullRequestCheckRun | None:
    """Re-analyse the head of GitInsight's check run `check_run_github_id` in the repository
    (risk, duplicates, failed checks), then edit the check run as they finish. None when the
    check run is not GitInsight's current one there, or the button is not ours."""
    if identifier != RERUN_ACTION["identifier"]:
        return None
    row = PullRequestCheckRun.objects.filter(repository_id=repository_id, github_id=check_run_github_id).first()
    if row is None or row.superseded_by:
        return row
    with transaction.atomic():
        PullRequestCheckRun.objects.filter(pk=row.pk).update(
            rerun_requested_by=requested_by[:255], rerun_requested_at=timezone.now(),
            status=PullRequestCheckRun.Status.IN_PROGRESS)
        head = (row.pull_request_id, row.head_sha)
        for task in ("triage.verdicts.tasks.check_run_publish_task", "analysis.tasks.pull_request_predict_task",
                     "triage.verdicts.tasks.duplicates_rerun_task"):
            transaction.on_commit(partial(async_task, task, *head))
        failed = (CheckRun.objects.not_gitinsight()
                  .filter(repository_id=repository_id, head_sha=row.head_sha, conclusion__in=FAILED_CONCLUSIONS)
                  .values_list("pk", flat=True))
        for check_run_id in failed:
            transaction.on_commit(partial(async_task, "triage.failures.tasks.check_run_reanalyse", check_run_id))
    row.refresh_from_db()
    return row
