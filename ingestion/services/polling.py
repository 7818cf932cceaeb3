"""Polling: repositories due are brought up to date from the REST API, the
same incremental sync as the backfill. Consecutive failures raise `failure_count`;
at GITHUB_POLL_FAILURE_THRESHOLD the repository's monitoring status becomes `error`
and polling stops until someone re-activates it. Suspended repositories are skipped.

`last_polled_at` is set when a poll *starts*, by a conditional UPDATE that claims the
repository, so two workers never poll it at once and a failing repository is retried
no sooner than the interval; `failure_count` tells whether the last poll succeeded."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from gitinsight.security.log_redaction import secrets_redact
from ingestion.models import Repository
from ingestion.services.github_api.auth import client_for_repository
from ingestion.services.github_api.client import GitHubClient
from ingestion.services.github_api.errors import GitHubNotConfigured, RateLimitWait
from ingestion.services.github_api.locks import RepositoryBusy, repository_sync_lock
from ingestion.services.github_api.sync import RepositorySync

logger = logging.getLogger(__name__)


def poll_interval() -> timedelta:
    return timedelta(minutes=settings.GITHUB_POLL_INTERVAL_MINUTES)


def failure_threshold() -> int:
    return settings.GITHUB_POLL_FAILURE_THRESHOLD


@dataclass(frozen=True)
class PollOutcome:
    status: str  # "polled", "failed", "waiting", "skipped"
    counts: dict[str, int] | None = None
    error: str = ""


def repositories_due(*, now: datetime | None = None) -> QuerySet[Repository]:
    """Active repositories not polled within the interval, the longest-waiting first.
    Local clones without a GitHub counterpart are not polled."""
    now = now or timezone.now()
    return (
        Repository.objects.due_for_polling(older_than=now - poll_interval())
        .exclude(Q(github_id__isnull=True) & ~Q(local_path=""))
        .order_by(F("last_polled_at").asc(nulls_first=True), "pk")
    )


def repository_claim(*, repository_id: int, now: datetime | None = None) -> bool:
    """Claim a due repository for one poll; False when it is not due (any more)."""
    now = now or timezone.now()
    claimed = repositories_due(now=now).filter(pk=repository_id).update(last_polled_at=now)
    return claimed == 1


def repository_poll(*, repository: Repository, client: GitHubClient | None = None) -> PollOutcome:
    """Bring `repository` up to date (the caller has claimed it)."""
    if repository.monitoring_status != Repository.MonitoringStatus.ACTIVE or not repository.is_active:
        return PollOutcome("skipped")
    try:
        with repository_sync_lock(repository.pk), client or client_for_repository(repository) as api:
            counts = RepositorySync(api, repository).run()
    except RepositoryBusy:
        return PollOutcome("skipped", error="a backfill or another poll is running")
    except RateLimitWait as wait:
        # Not the repository's fault: poll it again once the budget is back.
        Repository.objects.filter(pk=repository.pk).update(last_polled_at=wait.resume_at - poll_interval())
        return PollOutcome("waiting", error=str(wait))
    except Exception as exc:
        # Missing credentials say all there is to say in one line (the demo's sample repository
        # on a machine without GitHub); anything else gets its traceback.
        logger.warning("polling %s failed: %s", repository.full_name, exc,
                       exc_info=not isinstance(exc, GitHubNotConfigured))
        # Shown in the admin: an error quoting a token or a URL with credentials is scrubbed.
        message = secrets_redact(f"{type(exc).__name__}: {exc}")[:2000]
        repository_poll_failed(repository=repository, error=message)
        return PollOutcome("failed", error=message)
    Repository.objects.filter(pk=repository.pk).update(failure_count=0, last_error="")
    return PollOutcome("polled", counts=counts)


def repository_poll_failed(*, repository: Repository, error: str) -> Repository:
    Repository.objects.filter(pk=repository.pk).update(failure_count=F("failure_count") + 1, last_error=error)
    Repository.objects.filter(
        pk=repository.pk, failure_count__gte=failure_threshold(), monitoring_status=Repository.MonitoringStatus.ACTIVE
    ).update(monitoring_status=Repository.MonitoringStatus.ERROR)
    repository.refresh_from_db(fields=["failure_count", "last_error", "monitoring_status"])
    return repository
