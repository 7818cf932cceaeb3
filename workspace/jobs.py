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
from workspace.services.demo_pack import pack_full_name, pack_load
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
    return {
        "summary": f"{summary.commits_new:,} new commits of {summary.commits_seen:,} read in {summary.seconds:.1f} s.",
        "commits_new": summary.commits_new, "commits_seen": summary.commits_seen, "seconds": round(summary.seconds, 1),
    }


def run_backfill(job: AnalysisJob, progress: JobProgress) -> dict[str, Any]:
    backfill = BackfillRun.objects.create(repository=job.repository, requested_by=job.created_by)
    progress.start(len(RESOURCES), "contacting GitHub")

    def on_progress(resource: str, n: int) -> None:
        progress.set(RESOURCES.index(resource) if resource in RESOURCES else progress.done, message=f"{resource}: +{n}")

    backfill_run(backfill=backfill, on_progress=on_progress)
    counts = ", ".join(f"{count:,} {resource.replace('_', ' ')}" for resource, count in backfill.counts.items())
    return {"summary": f"Backfill {backfill.get_status_display().lower()}: {counts or 'nothing new'}.",
            "backfill_id": backfill.pk, "counts": backfill.counts}


def run_sample_pack(job: AnalysisJob, progress: JobProgress) -> dict[str, Any]:
    """The demo's generated activity, processed as webhook deliveries (workspace/demo_pack/)."""
    if job.repository.full_name != pack_full_name():
        raise ValueError(f"The sample pack belongs to {pack_full_name()}, not to {job.repository.full_name}.")
    progress.step(10, "processing the sample pack's deliveries")
    summary = pack_load()
    if summary.failed:
        raise ValueError(f"{len(summary.failed)} of the pack's deliveries failed: see Webhook deliveries.")
    return {
        "summary": f"{summary.stored} new deliveries stored and processed." if summary.stored
        else "Every delivery of the pack was already stored.",
        "deliveries_stored": summary.stored, "deliveries_processed": summary.processed,
    }
