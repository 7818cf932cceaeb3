"""The job types analysis knows how to run: bringing data in and training the risk model.
Each runner takes the job and its progress, calls services, and returns a summary."""

from __future__ import annotations

from typing import Any

from analysis.insights.services import insights_compute
from analysis.jobs.progress import JobProgress
from analysis.jobs.registry import job_type_register
from analysis.models import AnalysisJob
from analysis.services.examples import features_compute, labels_compute
from analysis.services.models import model_train
from analysis.services.predictions import commits_predict
from ingestion.git.ingest import clone_ingest
from ingestion.github_api.backfill import backfill_run
from ingestion.github_api.sync import RESOURCES
from ingestion.models import BackfillRun, Commit


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


def run_train(job: AnalysisJob, progress: JobProgress) -> dict[str, Any]:
    repository_id = job.repository_id
    progress.step(5, "computing commit features")
    features = features_compute(repository_id=repository_id)
    progress.step(35, "labelling bug-inducing commits (SZZ)")
    labels = labels_compute(repository_id=repository_id)
    progress.step(60, "training the model")
    outcome = model_train(repository_id=repository_id)
    progress.step(85, "scoring commits")
    commit_ids = list(Commit.objects.filter(repository_id=repository_id).values_list("pk", flat=True))
    # Commits the active version scored already are skipped, so this only fills gaps.
    predicted = commits_predict(repository_id=repository_id, commit_ids=commit_ids)
    return {
        "features": features,
        "labels": labels,
        "model_version": outcome.model_version.version,
        "model": outcome.model_version.algorithm,
        "promoted": outcome.promoted,
        "predictions": predicted,
        "why": outcome.model_version.selection_reason,
    }


def run_insights(job: AnalysisJob, progress: JobProgress) -> dict[str, Any]:
    insights = insights_compute(repository_id=job.repository_id, step=progress.step)
    return {"insights": [insight.type for insight in insights]}


def register() -> None:
    job_type_register("ingest_git", "Ingest a git clone", run_ingest_git)
    job_type_register("backfill", "Backfill from the GitHub API", run_backfill)
    job_type_register("train", "Train the commit-risk model", run_train)
    job_type_register("insights", "Compute repository insights", run_insights)
