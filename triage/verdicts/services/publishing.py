"""One GitInsight check run per pull request head, exactly once.

Every write about a head's check run happens under a lock on its row, so concurrent workers
take turns: the first creates it on GitHub, the others edit it with what they know by then.
The verdict is computed inside the lock (a worker never posts older facts over newer ones) and
kept on the row with its digest: an unchanged verdict is not posted again, and a request
GitHub refuses (403, 422), misses (5xx, network) or defers (rate limit) is recorded and
retried later with the same verdict. Before creating, GitHub is asked for a check run with
this head's external id, so a create whose answer was lost is adopted, never repeated."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from githubkit.exception import GitHubException

from gitinsight.database.tenant_scope import organization_scope
from ingestion.core.rate_limit import RateLimitPolicy
from ingestion.models import PullRequest
from ingestion.services.github_api.client import GitHubClient
from ingestion.services.github_api.errors import GitHubApiError, RateLimitWait
from triage.verdicts.core.facts import CHECK_RUN_NAME
from triage.verdicts.core.markdown import CheckRunContent, check_run_content, superseded_content
from triage.verdicts.models import CheckRunPost, PullRequestCheckRun
from triage.verdicts.selectors import check_run_policy_for, check_runs_due, verdict_facts, verdict_gates
from triage.verdicts.services import github_checks
from triage.verdicts.services.author import author_comment_publish, notify_author_attempts_record

logger = logging.getLogger(__name__)

Action = CheckRunPost.Action
MAX_RETRY_DELAY = timedelta(hours=1)


def check_run_publish(*, pull_request_id: int, head_sha: str, policy: RateLimitPolicy | None = None,
                      retrying: bool = False) -> PullRequestCheckRun | None:
    """Create or edit the check run of the pull request's `head_sha` with what is known now.
    None when check runs are off for the repository, or the head was replaced before its
    check run was started. `policy` paces the requests (tests shorten its waits); `retrying`
    also posts the author's comment of an unchanged verdict (its last post may have failed)."""
    pull_request = PullRequest.objects.select_related("repository__organization").get(pk=pull_request_id)
    repository = pull_request.repository
    rules = check_run_policy_for(repository)
    if not (rules and rules.enabled and repository.is_active):
        return None
    row = PullRequestCheckRun.objects.filter(pull_request=pull_request, head_sha=head_sha).first()
    if row is None:
        if pull_request.head_sha != head_sha:
            return None  # a newer push came first: only the current head gets a check run
        row, _ = PullRequestCheckRun.objects.get_or_create(
            pull_request=pull_request, head_sha=head_sha, defaults={"repository": repository})
    with transaction.atomic():
        row = _locked(row.pk)
        if row.superseded_by:
            return row
        facts, gates = verdict_facts(check_run=row), verdict_gates(repository=repository, policy=rules)
        content = check_run_content(facts, gates)
        _keep(row, content)
        posted = False
        if not (row.github_id and row.posted_sha256 == content.digest):
            posted = _post(row, content, policy=policy)
        if (posted or retrying) and row.is_posted and row.status == PullRequestCheckRun.Status.COMPLETED:
            comment_url = author_comment_publish(row, facts, gates, policy=policy) if rules.comment else ""
            notify_author_attempts_record(row, facts, gates, comment_url=comment_url)
        row.save()
    return row


def check_run_supersede(*, pull_request_id: int, head_sha: str, new_head_sha: str,
                        policy: RateLimitPolicy | None = None) -> PullRequestCheckRun | None:
    """A newer push replaced `head_sha`: its check run, if still in progress, is completed as
    superseded, and later edits of it are ignored (one not started yet never will be)."""
    pull_request = PullRequest.objects.select_related("repository__organization").get(pk=pull_request_id)
    rules = check_run_policy_for(pull_request.repository)
    if not (rules and rules.enabled):
        return None
    content = superseded_content(new_head_sha=new_head_sha)
    row, created = PullRequestCheckRun.objects.get_or_create(
        pull_request=pull_request, head_sha=head_sha,
        defaults={"repository": pull_request.repository, "superseded_by": new_head_sha,
                  "status": content.status, "conclusion": content.conclusion, "title": content.title,
                  "summary": content.summary, "content_sha256": content.digest, "completed_at": timezone.now()})
    if created:
        return row
    with transaction.atomic():
        row = _locked(row.pk)
        if row.status == PullRequestCheckRun.Status.COMPLETED and not row.superseded_by:
            return row  # its verdict was complete before the push: it stays as it was
        row.superseded_by = new_head_sha
        _keep(row, content)
        if row.github_id and row.posted_sha256 != content.digest:
            _post(row, content, policy=policy)
        elif not row.github_id:
            row.retry_at = None  # never on GitHub: nothing to complete there
        row.save()
    return row


def check_runs_retry(*, now: datetime | None = None, policy: RateLimitPolicy | None = None) -> int:
    """Post again the check runs whose retry time came, and complete those pending too long,
    each in the scope of its own organization."""
    done = 0
    due = check_runs_due(now=now).values_list("pull_request_id", "head_sha", "superseded_by",
                                              "repository__organization_id")
    for pull_request_id, head_sha, superseded_by, organization_id in due:
        with organization_scope(organization_id):
            if superseded_by:
                check_run_supersede(pull_request_id=pull_request_id, head_sha=head_sha, new_head_sha=superseded_by,
                                    policy=policy)
            else:
                check_run_publish(pull_request_id=pull_request_id, head_sha=head_sha, policy=policy, retrying=True)
        done += 1
    return done


# --- inside the lock ------------------------------------------------------------------------

def _locked(pk: int) -> PullRequestCheckRun:
    """The row, locked until the transaction ends (caller holds transaction.atomic)."""
    return (PullRequestCheckRun.objects.select_for_update(of=("self",))
            .select_related("pull_request", "repository__organization", "repository__installation").get(pk=pk))


def _keep(row: PullRequestCheckRun, content: CheckRunContent) -> None:
    """The verdict as it should be shown, kept whatever GitHub answers."""
    row.title, row.summary, row.content_sha256 = content.title[:255], content.summary, content.digest
    if row.status != content.status or row.conclusion != content.conclusion:
        row.completed_at = timezone.now() if content.status == PullRequestCheckRun.Status.COMPLETED else None
    row.status, row.conclusion = content.status, content.conclusion


def _post(row: PullRequestCheckRun, content: CheckRunContent, *, policy: RateLimitPolicy | None) -> bool:
    """Create, adopt or edit the check run on GitHub; every request is recorded, and a failure
    leaves the row to be retried (its verdict is kept). Whether GitHub now shows `content`."""
    action = Action.UPDATE if row.github_id else Action.CREATE
    try:
        with github_checks.checks_client(row.repository, policy=policy) as client:
            if not row.github_id:
                action = _create_or_adopt(client, row, content)
            if action != Action.CREATE:
                action = Action.UPDATE
                github_checks.check_run_update(client, repository=row.repository, github_id=row.github_id,
                                               body=content.body())
                _record(row, action, content, succeeded=True, http_status=200)
    except RateLimitWait as wait:
        _failed(row, action, content, error=str(wait), retry_at=wait.resume_at)
    except (GitHubApiError, GitHubException) as error:
        _failed(row, action, content, error=str(error), http_status=getattr(error, "status", None))
    else:
        row.posted_sha256, row.failed_posts, row.last_error, row.retry_at = content.digest, 0, "", None
        return True
    return False


def _create_or_adopt(client: GitHubClient, row: PullRequestCheckRun, content: CheckRunContent) -> str:
    external_id = github_checks.external_id_for(row.pull_request)
    found = github_checks.check_run_find(client, repository=row.repository, head_sha=row.head_sha,
                                         external_id=external_id)
    if found is not None:
        _identify(row, found)
        _record(row, Action.ADOPT, content, succeeded=True, http_status=200)
        return Action.ADOPT
    body = {"name": CHECK_RUN_NAME, "head_sha": row.head_sha, "external_id": external_id,
            "details_url": _details_url(row), "started_at": row.created_at.isoformat(), **content.body()}
    created = github_checks.check_run_create(client, repository=row.repository, body=body)
    _identify(row, created)
    _record(row, Action.CREATE, content, succeeded=True, http_status=201)
    return Action.CREATE


def _identify(row: PullRequestCheckRun, data: dict) -> None:
    """Known from now on (saved with the row even if a later request of this turn fails)."""
    row.github_id, row.html_url = int(data["id"]), (data.get("html_url") or "")[:500]


def _details_url(row: PullRequestCheckRun) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("admin:triage_pull_request_report", args=[row.pull_request_id])


def _failed(row: PullRequestCheckRun, action: str, content: CheckRunContent, *, error: str,
            http_status: int | None = None, retry_at: datetime | None = None) -> None:
    row.failed_posts += 1
    row.last_error = error[:2000]
    delay = min(timedelta(minutes=1) * 2 ** (row.failed_posts - 1), MAX_RETRY_DELAY)
    row.retry_at = retry_at or timezone.now() + delay
    _record(row, action, content, succeeded=False, http_status=http_status, error=error)
    logger.warning("GitInsight check run of %s at %s not posted (%s): %s", row.pull_request_id, row.head_sha[:10],
                   action, error)


def _record(row: PullRequestCheckRun, action: str, content: CheckRunContent, *, succeeded: bool,
            http_status: int | None = None, error: str = "") -> CheckRunPost:
    return CheckRunPost.objects.create(
        check_run=row, action=action, succeeded=succeeded, http_status=http_status, check_status=content.status,
        conclusion=content.conclusion, title=content.title[:255], content_sha256=content.digest, error=error[:2000],
    )


