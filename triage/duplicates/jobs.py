"""The triage analysis job: every open pull request's current head, with progress."""

from __future__ import annotations

from typing import Any

from ingestion.models import PullRequest
from triage.duplicates.models import AnalysisRun
from triage.duplicates.services.runs import analysis_run_create, analysis_run_execute
from workspace.models import AnalysisJob
from workspace.services.job_progress import JobProgress


def run_triage(job: AnalysisJob, progress: JobProgress) -> dict[str, Any]:
    """Analyse the current head of every open pull request that has no finished run for it."""
    pull_requests = list(PullRequest.objects.filter(repository_id=job.repository_id, state="open")
                         .exclude(head_sha="").order_by("number"))
    progress.start(len(pull_requests), "analysing open pull requests")
    statuses: dict[str, int] = {}
    for pull_request in pull_requests:
        done = AnalysisRun.objects.for_head(pull_request).finished().exists()
        if not done:
            run = analysis_run_execute(run=analysis_run_create(pull_request=pull_request,
                                                               head_sha=pull_request.head_sha))
            statuses[run.status] = statuses.get(run.status, 0) + 1
        progress.advance(1, f"#{pull_request.number}")
    return {"pull_requests": len(pull_requests), "runs": statuses}
