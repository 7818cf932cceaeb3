"""Starting, running, cancelling and retrying analysis jobs."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import InterfaceError, OperationalError, close_old_connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_q.tasks import async_task

from gitinsight.services.audit import audit_record
from ingestion.models import Repository
from workspace.job_types import job_type
from workspace.models import AnalysisJob
from workspace.services.job_progress import JobCancelled, JobProgress

logger = logging.getLogger(__name__)


class JobNotRetryable(ValueError):
    pass


class JobOptionsDenied(ValueError):
    """The caller may not set these options."""


#: options naming a place on the server's disk
SERVER_PATH_OPTIONS = ("path",)


def job_options_check(*, options: dict[str, Any], by: AbstractBaseUser | None) -> None:
    """Only operators (superusers) and the system point a job at a path on the server: a
    maintainer could otherwise read another organization's clone into their own repository."""
    if by is None or by.is_superuser:
        return
    named = [key for key in SERVER_PATH_OPTIONS if options.get(key)]
    if named:
        raise JobOptionsDenied(f"only operators set {', '.join(named)}; the job reads the repository's own clone")


def job_enqueue(
    *,
    repository: Repository,
    type: str,
    options: dict[str, Any] | None = None,
    by: AbstractBaseUser | None = None,
) -> AnalysisJob:
    """Create a queued job and hand it to the worker once the transaction commits."""
    job_type(type)  # fail here, in the caller's request, for an unknown type
    job_options_check(options=options or {}, by=by)
    job = AnalysisJob.objects.create(
        repository=repository, type=type, options=options or {}, created_by=by if by and by.is_authenticated else None
    )
    if by is not None:
        audit_record(user=by, action="job.start", resource_type="analysis_job", resource_id=job.pk,
                     details={"type": type, "repository": repository.full_name, "options": job.options})
    transaction.on_commit(lambda: async_task("workspace.tasks.job_execute_task", job.pk, group=f"job:{type}"))
    return job


def backfills_start(*, repository_ids: list[int]) -> list[AnalysisJob]:
    """A backfill job for each repository an App installation now covers, unless one is already
    queued or running for it (GitHub may send an installation and its repositories twice)."""
    busy = set(AnalysisJob.objects.filter(
        repository_id__in=repository_ids, type="backfill",
        status__in=[AnalysisJob.Status.QUEUED, AnalysisJob.Status.IN_PROGRESS],
    ).values_list("repository_id", flat=True))
    repositories = Repository.objects.filter(pk__in=repository_ids, is_active=True).exclude(pk__in=busy)
    return [job_enqueue(repository=repository, type="backfill") for repository in repositories.order_by("pk")]


def job_execute(*, job_id: int) -> AnalysisJob:
    """Run one job. Safe to call twice: a job that is finished, or running on another
    worker, is left alone (the claim is a conditional UPDATE); one whose worker died is
    taken again."""
    if not _job_claim(job_id=job_id):
        return AnalysisJob.objects.select_related("repository").get(pk=job_id)
    job = AnalysisJob.objects.select_related("repository").get(pk=job_id)
    progress = JobProgress(job)
    try:
        result = job_type(job.type).run(job, progress)
    except JobCancelled:
        job.refresh_from_db()
        return job
    except (OperationalError, InterfaceError) as exc:
        return _job_requeue_after_lost_database(job=job, exc=exc)
    except Exception as exc:
        # Domain errors (not enough data, no clone) are expected outcomes: no traceback for them.
        logger.log(logging.WARNING if isinstance(exc, ValueError | LookupError) else logging.ERROR,
                   "analysis job %s (%s) failed: %s", job.pk, job.type, exc,
                   exc_info=not isinstance(exc, ValueError | LookupError))
        _job_fail(job_id=job.pk, error=f"{type(exc).__name__}: {exc}")
        job.refresh_from_db()
        return job
    AnalysisJob.objects.filter(pk=job.pk, status=AnalysisJob.Status.IN_PROGRESS).update(
        status=AnalysisJob.Status.COMPLETED, progress=100, message="done", result=result or {},
        completed_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def _job_claim(*, job_id: int) -> bool:
    """Take a queued job, or one left in progress by a worker that died (SIGKILL, out of
    memory, a lost host). django-q hands an unacknowledged task out again only after
    Q_CLUSTER["retry"] seconds and kills any attempt running past Q_CLUSTER["timeout"]
    (retry > timeout), so a job still in progress `timeout` seconds after it started has
    nobody working on it. After Q_CLUSTER["max_attempts"] such deaths the job fails instead
    of killing yet another worker."""
    now = timezone.now()
    abandoned = Q(status=AnalysisJob.Status.IN_PROGRESS, started_at__lt=now - timedelta(seconds=_lease_seconds()))
    max_attempts = settings.Q_CLUSTER.get("max_attempts") or 0
    if max_attempts:
        AnalysisJob.objects.filter(abandoned, pk=job_id, attempts__gte=max_attempts).update(
            status=AnalysisJob.Status.FAILED, completed_at=now,
            error_message=f"WorkerLost: the worker running this job stopped {max_attempts} times "
                          "(killed, out of memory or timed out)",
        )
    return bool(AnalysisJob.objects.filter(Q(status=AnalysisJob.Status.QUEUED) | abandoned, pk=job_id).update(
        status=AnalysisJob.Status.IN_PROGRESS, started_at=now, attempts=F("attempts") + 1,
        error_message="", message="starting", progress=0,
    ))


def _lease_seconds() -> int:
    return settings.Q_CLUSTER.get("timeout") or 1800


def _job_fail(*, job_id: int, error: str) -> None:
    AnalysisJob.objects.filter(pk=job_id).update(
        status=AnalysisJob.Status.FAILED, error_message=error[:5000], completed_at=timezone.now(),
    )


def _job_requeue_after_lost_database(*, job: AnalysisJob, exc: Exception) -> AnalysisJob:
    """The database went away under the job (a restart, a failover, a killed backend) or
    gave another transient error (a deadlock, a statement timeout): reconnect, then queue the
    job again, or fail it once it has used its attempts. If the database stays down the error
    propagates and django-q records the task as failed."""
    logger.warning("analysis job %s (%s) lost its database connection: %s", job.pk, job.type, exc)
    if not transaction.get_autocommit():
        raise exc  # the caller's transaction is gone with the connection; only the caller can start over
    for wait in (0, 1, 2, 4):  # a restart takes a second or two
        time.sleep(wait)
        close_old_connections()  # drops the broken connection; the next query opens a new one
        try:
            job.refresh_from_db()
            break
        except (OperationalError, InterfaceError):
            continue
    else:
        raise exc
    max_attempts = settings.Q_CLUSTER.get("max_attempts") or 0
    if max_attempts and job.attempts >= max_attempts:
        _job_fail(job_id=job.pk, error=f"{type(exc).__name__}: {exc}")
    elif AnalysisJob.objects.filter(pk=job.pk, status=AnalysisJob.Status.IN_PROGRESS).update(
        status=AnalysisJob.Status.QUEUED, message="database connection lost; queued again"
    ):
        async_task("workspace.tasks.job_execute_task", job.pk, group=f"job:{job.type}")
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
    transaction.on_commit(lambda: async_task("workspace.tasks.job_execute_task", job.pk, group=f"job:{job.type}"))
    job.refresh_from_db()
    return job
