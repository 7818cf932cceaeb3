"""What the admin actions do, outside the admin."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django_q.tasks import async_task

from triage.failures.models.analyses import CheckFailureAnalysis, FixAttempt
from triage.failures.services.fixes import rerun_record


def analyses_reanalyse(check_run_ids: list[int]) -> int:
    """Queue a forced re-analysis of each check run (the log is fetched again)."""
    for check_run_id in check_run_ids:
        transaction.on_commit(partial(async_task, "triage.failures.tasks.check_run_reanalyse", check_run_id))
    return len(check_run_ids)


def analyses_record_rerun(analyses: list[CheckFailureAnalysis], *, by: str) -> list[FixAttempt]:
    with transaction.atomic():
        return [rerun_record(analysis, by=by) for analysis in analyses]
