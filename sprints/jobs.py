"""The forecast refresh as an analysis job, with progress per milestone."""

from __future__ import annotations

from typing import Any

from ingestion.models import Milestone
from sprints.services.forecasts import milestone_forecast_refresh
from workspace.models import AnalysisJob
from workspace.services.job_progress import JobProgress


def run_forecast(job: AnalysisJob, progress: JobProgress) -> dict[str, Any]:
    milestones = list(Milestone.objects.filter(repository_id=job.repository_id, state="open").order_by("due_on"))
    progress.start(len(milestones), "forecasting milestones")
    statuses = {}
    for milestone in milestones:
        statuses[milestone.title] = milestone_forecast_refresh(milestone.pk).status
        progress.advance(1, milestone.title)
    return {"milestones": statuses}
