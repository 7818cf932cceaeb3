"""The analysis jobs of commit risk: training the model and computing repository insights.
Each runner takes the job and its progress, calls services, and returns a summary; apps.py
registers them with workspace.job_types."""

from __future__ import annotations

from typing import Any

from analysis.services.examples import features_compute, labels_compute
from analysis.services.insights import insights_compute
from analysis.services.models import model_train
from analysis.services.predictions import commits_predict
from ingestion.models import Commit
from workspace.models import AnalysisJob
from workspace.services.job_progress import JobProgress


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
