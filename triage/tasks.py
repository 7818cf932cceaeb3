"""django-q2 tasks: take ids, load, call one service."""

from __future__ import annotations

from ingestion.models import PullRequest
from triage.models import AnalysisRun
from triage.services.competing import competing_work_update
from triage.services.runs import analysis_run_create, analysis_run_execute
from triage.workspace import same_change_notify


def analysis_run_task(pull_request_id: int, head_sha: str) -> str:
    """Analyse a head once: a second delivery of the same head reuses its finished run."""
    pull_request = PullRequest.objects.select_related("repository").get(pk=pull_request_id)
    finished = AnalysisRun.objects.filter(
        pull_request=pull_request, head_sha=head_sha,
        status__in=[AnalysisRun.Status.DONE, AnalysisRun.Status.DEGRADED],
    ).first()
    if finished is not None:
        return str(finished.pk)
    run = analysis_run_execute(run=analysis_run_create(pull_request=pull_request, head_sha=head_sha))
    same_change_notify(run)
    # after the diff verdicts, which take precedence over competing ones for the same pair
    competing_work_update(pull_request=pull_request)
    return str(run.pk)
