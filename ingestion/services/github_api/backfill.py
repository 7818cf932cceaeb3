"""Connecting a repository and running its backfill as a recorded BackfillRun."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from gitinsight.database.tenant_scope import system_scope
from gitinsight.models import Organization
from gitinsight.security.roles import Action, refusal, user_can
from gitinsight.services.audit import audit_record
from ingestion.core.normalize.names import InvalidFullName, full_name_check
from ingestion.models import BackfillRun, Repository
from ingestion.services import repository_name_release
from ingestion.services.github_api.auth import client_for_repository, repository_access
from ingestion.services.github_api.client import GitHubClient
from ingestion.services.github_api.errors import GitHubNotConfigured, RateLimitWait
from ingestion.services.github_api.locks import repository_sync_lock
from ingestion.services.github_api.sync import RESOURCES, RepositorySync


class RepositoryConnectError(ValueError):
    """The repository cannot be connected (a bad name, no credentials the organization may
    use for it, or taken by another tenant)."""


class RepositoryConnectDenied(RepositoryConnectError):
    """The user may not connect repositories for this organization."""


def backfill_enqueue(*, backfill: BackfillRun) -> None:
    """Run the backfill in a django-q2 worker once the current transaction commits."""
    from django_q.tasks import async_task

    transaction.on_commit(lambda: async_task("ingestion.tasks.backfill_run_task", backfill.pk))


def repository_connect(*, user, full_name: str, organization: Organization) -> BackfillRun:
    """Follow `full_name` (OWNER/NAME) for `organization` and start its backfill. The user
    must be an owner or admin of the organization, and the organization must be able to
    read the repository with credentials bound to it (see `repository_access`): a name
    alone proves nothing. The GitHub id and metadata arrive with the backfill's first request."""
    _full_name_check(full_name)
    if not user_can(user, Action.CONFIGURE, organization):
        raise RepositoryConnectDenied(refusal(user, Action.CONFIGURE, organization))
    try:
        access = repository_access(full_name=full_name, organization=organization)
    except GitHubNotConfigured as exc:
        raise RepositoryConnectError(str(exc)) from exc
    with transaction.atomic():
        repository = repository_follow(full_name=full_name, organization=organization, verified=True)
        if access.installation is not None and repository.installation_id != access.installation.pk:
            repository.installation = access.installation
            repository.save(update_fields=["installation", "updated_at"])
        backfill = BackfillRun.objects.create(repository=repository, requested_by=user)
        audit_record(user=user, action="repository.connect", resource_type="repository", resource_id=repository.pk,
                     details={"full_name": full_name, "backfill_id": backfill.pk, "credentials": str(access)})
        backfill_enqueue(backfill=backfill)
    return backfill


def repository_follow(*, full_name: str, organization: Organization, verified: bool = False) -> Repository:
    """The Repository row of `full_name` for `organization`, created if new; following it
    again re-activates it. Another organization's repository is refused, except that with
    `verified` (the organization showed it may read the repository) a row of another
    organization that never proved it (no GitHub id, and no credentials of its own for the
    name: a clone, or a name typed before names were checked) gives the name up."""
    _full_name_check(full_name)
    owner, _, name = full_name.partition("/")
    # A name is connected once across every organization: the check sees them all
    # (row-level security's system scope).
    with transaction.atomic(), system_scope():
        repository = Repository.objects.select_for_update().filter(full_name__iexact=full_name).first()
        if repository is not None and repository.organization_id != organization.pk:
            if not (verified and repository.github_id is None and not _readable_by_its_organization(repository)):
                raise RepositoryConnectError(f"{full_name} is already connected by another organization")
            repository_name_release(repository=repository)
            repository = None
        if repository is None:
            return Repository.objects.create(organization=organization, owner=owner, name=name, full_name=full_name)
        repository.is_active = True
        repository.monitoring_status = Repository.MonitoringStatus.ACTIVE
        repository.failure_count = 0
        repository.save(update_fields=["is_active", "monitoring_status", "failure_count", "updated_at"])
        return repository


def _full_name_check(full_name: str) -> None:
    try:
        full_name_check(full_name)
    except InvalidFullName as exc:
        raise RepositoryConnectError(str(exc)) from exc


def _readable_by_its_organization(repository: Repository) -> bool:
    try:
        repository_access(full_name=repository.full_name, organization=repository.organization,
                          preferred=repository.installation)
    except GitHubNotConfigured:
        return False
    return True


def backfill_run(
    *,
    backfill: BackfillRun,
    client: GitHubClient | None = None,
    resources: tuple[str, ...] = RESOURCES,
    commit_details: bool = True,
    on_progress: Callable[[str, int], None] | None = None,
) -> BackfillRun:
    """Run (or resume) `backfill`. Listings continue from their saved cursors, so a run
    after a crash or a rate-limit pause picks up where the last one stopped. A rate
    limit too long to wait for leaves the run WAITING with `resume_at`; any other
    failure (RepositoryBusy when another worker syncs the repository) leaves it FAILED
    and is raised."""
    repository = backfill.repository
    backfill.status = BackfillRun.Status.RUNNING
    backfill.started_at = backfill.started_at or timezone.now()
    backfill.resume_at = None
    backfill.save(update_fields=["status", "started_at", "resume_at"])
    sync = None
    try:
        with repository_sync_lock(repository.pk), client or client_for_repository(repository) as api:
            sync = RepositorySync(api, repository, commit_details=commit_details, on_progress=on_progress)
            sync.run(resources)
    except RateLimitWait as wait:
        _finish(backfill, sync, status=BackfillRun.Status.WAITING, error=str(wait), resume_at=wait.resume_at)
        return backfill
    except Exception as exc:
        _finish(backfill, sync, status=BackfillRun.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    _finish(backfill, sync, status=BackfillRun.Status.COMPLETED, error="")
    return backfill


def _finish(backfill: BackfillRun, sync: RepositorySync | None, *, status: str, error: str, resume_at=None) -> None:
    counts = dict(backfill.counts or {})
    for resource, count in (sync.counts if sync else {}).items():
        counts[resource] = counts.get(resource, 0) + count
    backfill.counts = counts
    backfill.status = status
    backfill.error = error[:5000]
    backfill.resume_at = resume_at
    backfill.finished_at = timezone.now() if status != BackfillRun.Status.WAITING else None
    backfill.save(update_fields=["counts", "status", "error", "resume_at", "finished_at"])
