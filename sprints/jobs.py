"""The forecast refresh as an analysis job, with progress per milestone."""

from __future__ import annotations

from typing import Any

from gitinsight.plural import counted
from ingestion.models import Milestone
from sprints.services.forecasts import milestone_forecast_refresh
from workspace.models import AnalysisJob
from workspace.services.job_progress import JobProgress


def run_forecast(job: AnalysisJob, progress: JobProgress) -> dict[str, Any]:
    milestones = list(Milestone.objects.filter(repository_id=job.repository_id, state="open").order_by("due_on"))
    progress.start(len(milestones), "forecasting milestones")
    statuses: dict[str, str] = {}
    for milestone in milestones:
        statuses[milestone.title] = milestone_forecast_refresh(milestone.pk).status
        progress.advance(1, milestone.title)
    at_risk = [title for title, status in statuses.items() if status != "on_track"]
    # Titles in quotes: a title of its own may hold a colon or a comma ("0.2: first day").
    summary = f"{counted(len(statuses), 'open milestone', 'open milestones')} forecast" + (
        f"; at risk: {', '.join(f'“{title}”' for title in at_risk)}." if at_risk
        else "; all on track." if statuses else ".")
    return {"summary": summary, "milestones": len(statuses), "at_risk": len(at_risk)}
