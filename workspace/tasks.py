"""django-q2 tasks: take ids, call one service, safe to run twice."""

from __future__ import annotations

from gitinsight.database.tenant_scope import runs_in_organization_of
from workspace.models import AnalysisJob
from workspace.services.jobs import job_execute


@runs_in_organization_of(AnalysisJob)
def job_execute_task(job_id: int) -> str:
    return job_execute(job_id=job_id).status
