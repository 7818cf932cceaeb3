"""The monitoring loop of failed checks: open pull requests whose current head has failed
check runs without an analysis under the current rules."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django_q.tasks import async_task

from ingestion.models import CheckRun
from triage.failures.core.rules import RULES_VERSION
from triage.failures.models.analyses import CheckFailureAnalysis
from triage.failures.selectors.facts import FAILED_CONCLUSIONS

MAX_PER_PASS = 500  # a backlog is drained over several passes instead of one burst


def unanalysed_failed_check_runs(limit: int = MAX_PER_PASS) -> list[int]:
    analysed = CheckFailureAnalysis.objects.filter(check_run=OuterRef("pk"), rules_version=RULES_VERSION)
    return list(CheckRun.objects.not_gitinsight()
                .filter(pull_request__state="open", head_sha=F("pull_request__head_sha"), status="completed",
                        conclusion__in=FAILED_CONCLUSIONS)
                .exclude(Exists(analysed)).order_by("-completed_at").values_list("pk", flat=True)[:limit])


def failed_checks_enqueue() -> int:
    """Enqueue an analysis for each unanalysed failed check run of an open PR's head."""
    ids = unanalysed_failed_check_runs()
    for check_run_id in ids:
        transaction.on_commit(partial(async_task, "triage.failures.tasks.check_run_analyse", check_run_id))
    return len(ids)
