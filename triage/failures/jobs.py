"""The failed-checks job: analyse every failed check run of a repository that has no
finished analysis under the current rules, with progress."""

from __future__ import annotations

from typing import Any

from ingestion.models import CheckRun
from triage.failures.services.analyses import FAILED_CONCLUSIONS, check_run_analyse
from workspace.models import AnalysisJob
from workspace.services.job_progress import JobProgress


def run_failed_checks(job: AnalysisJob, progress: JobProgress) -> dict[str, Any]:
    check_runs = list(CheckRun.objects.filter(repository_id=job.repository_id, conclusion__in=FAILED_CONCLUSIONS)
                      .order_by("completed_at", "pk").values_list("pk", "name"))
    progress.start(len(check_runs), "analysing failed checks")
    analysed = 0
    for check_run_id, name in check_runs:
        analysed += check_run_analyse(check_run_id) is not None
        progress.advance(1, name)
    return {"summary": f"{analysed} of {len(check_runs)} failed checks explained.",
            "failed_checks": len(check_runs), "analysed": analysed}
