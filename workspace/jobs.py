"""The analysis jobs that bring data in: a git clone and a GitHub backfill. Each runner takes
the job and its progress, calls ingestion's services, and returns a summary; apps.py
registers them with workspace.job_types."""

from __future__ import annotations

from typing import Any

from ingestion.models import BackfillRun
from ingestion.services.git.ingest import clone_ingest
from ingestion.services.github_api.backfill import backfill_run
from ingestion.services.github_api.sync import RESOURCES
from workspace.models import AnalysisJob
from workspace.services.job_progress import JobProgress


def run_ingest_git(job: AnalysisJob, progress: JobProgress) -> dict[str, Any]:
    path = job.options.get("path") or job.repository.local_path
    if not path:
        raise ValueError("no clone to read: pass options.path or set the repository's local_path")
    summary = clone_ingest(
        path=path,
        branch=job.options.get("branch"),
        repository=job.repository,
        progress=lambda n: progress.advance(n, "reading git history"),
        on_total=lambda total: progress.start(total, "reading git history"),
    )
    return {"commits_new": summary.commits_new, "commits_seen": summary.commits_seen, "seconds": summary.seconds}


def run_backfill(job: AnalysisJob, progress: JobProgress) -> dict[str, Any]:
    backfill = BackfillRun.objects.create(repository=job.repository, requested_by=job.created_by)
    progress.start(len(RESOURCES), "contacting GitHub")

    def on_progress(resource: str, n: int) -> None:
        progress.set(RESOURCES.index(resource) if resource in RESOURCES else progress.done, message=f"{resource}: +{n}")

    backfill_run(backfill=backfill, on_progress=on_progress)
    return {"backfill_id": backfill.pk, "status": backfill.status, "counts": backfill.counts}
