"""django-q2 tasks: take ids, load, call one service."""

from __future__ import annotations

from ingestion.models import PullRequest
from triage.duplicates.models import AnalysisRun
from triage.duplicates.services.notifications import same_change_notify
from triage.duplicates.services.runs import analysis_run_create, analysis_run_execute


def analysis_run_task(pull_request_id: int, head_sha: str) -> str:
    """Analyse a head once: a second delivery of the same head reuses its finished run."""
    pull_request = PullRequest.objects.select_related("repository").get(pk=pull_request_id)
    finished = AnalysisRun.objects.for_head(pull_request, head_sha).finished().newest_first().first()
    if finished is not None:
        return str(finished.pk)
    run = analysis_run_execute(run=analysis_run_create(pull_request=pull_request, head_sha=head_sha))
    same_change_notify(run)
    return str(run.pk)
