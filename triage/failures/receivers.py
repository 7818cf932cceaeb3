"""Signal receivers: enqueue work after the sender's transaction commits."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django_q.tasks import async_task

from ingestion.models import CheckRun
from triage.failures.selectors.facts import FAILED_CONCLUSIONS


def on_check_run_completed(sender: Any, *, repository_id: int, check_run_id: int, **kwargs: Any) -> None:
    # GitInsight's own verdict may conclude "failure" (a maintainer's gate): it is not a check to analyse.
    conclusion = (CheckRun.objects.not_gitinsight().filter(pk=check_run_id)
                  .values_list("conclusion", flat=True).first())
    if conclusion in FAILED_CONCLUSIONS:
        transaction.on_commit(partial(async_task, "triage.failures.tasks.check_run_analyse", check_run_id))
