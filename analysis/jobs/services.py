"""Starting, running, cancelling and retrying analysis jobs."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_q.tasks import async_task

from analysis.jobs.progress import JobCancelled, JobProgress
from analysis.jobs.registry import job_type
from analysis.models import AnalysisJob
from gitinsight.services.audit import audit_record
from ingestion.models import Repository

logger = logging.getLogger(__name__)


class JobNotRetryable(ValueError):
    pass


def job_enqueue(
    *,
    repository: Repository,
    type: str,
    options: dict[str, Any] | None = None,
    by: AbstractBaseUser | None = None,
) -> AnalysisJob:
    """Create a queued job and hand it to the worker once the transaction commits."""
    job_type(type)  # fail here, in the caller's request, for an unknown type
    job = AnalysisJob.objects.create(
        repository=repository, type=type, options=options or {}, created_by=by if by and by.is_authenticated else None
    )
    if by is not None:
        audit_record(user=by, action="job.start", resource_type="analysis_job", resource_id=job.pk,
                     details={"type": type, "repository": repository.full_name, "options": job.options})
    transaction.on_commit(lambda: async_task("analysis.tasks.job_execute_task", job.pk, group=f"job:{type}"))
    return job


def job_execute(*, job_id: int) -> AnalysisJob:
    """Run one job. Safe to call twice: a job that is finished, or already taken by
    another worker, is left alone (the claim is a conditional UPDATE)."""
    claimed = AnalysisJob.objects.filter(pk=job_id, status=AnalysisJob.Status.QUEUED).update(
        status=AnalysisJob.Status.IN_PROGRESS, started_at=timezone.now(), attempts=F("attempts") + 1,
        error_message="", message="starting", progress=0,
    )
    job = AnalysisJob.objects.select_related("repository").get(pk=job_id)
    if not claimed:
        return job
    progress = JobProgress(job)
    try:
        result = job_type(job.type).run(job, progress)
    except JobCancelled:
        job.refresh_from_db()
        return job
    except Exception as exc:
        # Domain errors (not enough data, no clone) are expected outcomes: no traceback for them.
        logger.log(logging.WARNING if isinstance(exc, ValueError | LookupError) else logging.ERROR,
                   "analysis job %s (%s) failed: %s", job.pk, job.type, exc,
                   exc_info=not isinstance(exc, ValueError | LookupError))
        AnalysisJob.objects.filter(pk=job.pk).update(
            status=AnalysisJob.Status.FAILED, error_message=f"{type(exc).__name__}: {exc}"[:5000],
            completed_at=timezone.now(),
        )
        job.refresh_from_db()
        return job
    AnalysisJob.objects.filter(pk=job.pk, status=AnalysisJob.Status.IN_PROGRESS).update(
        status=AnalysisJob.Status.COMPLETED, progress=100, message="done", result=result or {},
        completed_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def job_cancel(*, job: AnalysisJob, by: AbstractBaseUser) -> bool:
    """Cancel a queued or running job; a running one stops at its next progress report."""
    cancelled = AnalysisJob.objects.filter(
        pk=job.pk, status__in=[AnalysisJob.Status.QUEUED, AnalysisJob.Status.IN_PROGRESS]
    ).update(status=AnalysisJob.Status.CANCELLED, completed_at=timezone.now())
    if cancelled:
        audit_record(user=by, action="job.cancel", resource_type="analysis_job", resource_id=job.pk)
    return bool(cancelled)


def job_retry(*, job: AnalysisJob, by: AbstractBaseUser) -> AnalysisJob:
    """Put a failed or cancelled job back in the queue (its attempts count goes on)."""
    requeued = AnalysisJob.objects.filter(
        pk=job.pk, status__in=[AnalysisJob.Status.FAILED, AnalysisJob.Status.CANCELLED]
    ).update(status=AnalysisJob.Status.QUEUED, progress=0, message="", completed_at=None)
    if not requeued:
        raise JobNotRetryable(f"job {job.pk} is {job.status}; only failed or cancelled jobs can be retried")
    audit_record(user=by, action="job.retry", resource_type="analysis_job", resource_id=job.pk)
    transaction.on_commit(lambda: async_task("analysis.tasks.job_execute_task", job.pk, group=f"job:{job.type}"))
    job.refresh_from_db()
    return job
