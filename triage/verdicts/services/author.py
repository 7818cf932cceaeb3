"""Telling the author: "notify the author" is the check run itself, plus, where the repository
asks for one, a single comment that mentions them, edited as the verdict changes and never
posted twice. The failed checks' "notify the author" attempts record what was actually sent."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.utils import timezone
from githubkit.exception import GitHubException

from ingestion.core.rate_limit import RateLimitPolicy
from ingestion.services.github_api.errors import GitHubApiError, RateLimitWait
from triage.failures.models.analyses import FixAttempt, FixStatus, FixStrategy
from triage.verdicts.core.facts import Gates, VerdictFacts
from triage.verdicts.core.markdown import author_comment, author_needs_telling, failed_check_sentences
from triage.verdicts.models import CheckRunPost, GitHubNotice, PullRequestCheckRun
from triage.verdicts.services import github_checks


def author_comment_publish(row: PullRequestCheckRun, facts: VerdictFacts, gates: Gates, *,
                           policy: RateLimitPolicy | None = None) -> str:
    """Post or edit the pull request's one comment for `row`'s completed verdict; the comment's
    address, or "" when there is none. Call with `row` locked; a failure sets its retry time."""
    notice = GitHubNotice.objects.select_for_update().filter(pull_request_id=row.pull_request_id).first()
    if notice is None and not author_needs_telling(facts, gates):
        return ""
    text = author_comment(facts, gates, check_run_url=row.html_url)
    digest = hashlib.sha256(text.encode()).hexdigest()
    url = f"{row.pull_request.html_url}#issuecomment-{notice.github_comment_id}" if notice else ""
    if notice is not None and notice.body_sha256 == digest:
        return url
    action = CheckRunPost.Action.COMMENT_EDIT if notice else CheckRunPost.Action.COMMENT
    try:
        with github_checks.checks_client(row.repository, policy=policy) as client:
            if notice is None:
                answer = github_checks.comment_create(client, repository=row.repository,
                                                      number=row.pull_request.number, text=text)
                notice = GitHubNotice.objects.create(
                    repository=row.repository, pull_request=row.pull_request, head_sha=row.head_sha,
                    github_comment_id=int(answer["id"]), body_sha256=digest)
            else:
                answer = github_checks.comment_update(client, repository=row.repository,
                                                      comment_id=notice.github_comment_id, text=text)
                notice.head_sha, notice.body_sha256 = row.head_sha, digest
                notice.save(update_fields=["head_sha", "body_sha256", "updated_at"])
    except (GitHubApiError, GitHubException, RateLimitWait) as error:
        CheckRunPost.objects.create(check_run=row, action=action, succeeded=False,
                                    http_status=getattr(error, "status", None), error=str(error)[:2000],
                                    content_sha256=digest)
        row.last_error = f"The comment was not posted: {error}"[:2000]
        row.retry_at = getattr(error, "resume_at", None) or timezone.now() + timedelta(minutes=1)
        return ""
    CheckRunPost.objects.create(check_run=row, action=action, succeeded=True, content_sha256=digest,
                                http_status=201 if action == CheckRunPost.Action.COMMENT else 200)
    return answer.get("html_url") or url


def notify_author_attempts_record(row: PullRequestCheckRun, facts: VerdictFacts, gates: Gates, *,
                                  comment_url: str = "") -> int:
    """The failed checks' "notify the author" attempts now record what GitHub shows the author
    (the check run's sentence, and the comment when there is one); returns how many."""
    sent = failed_check_sentences(facts, gates)
    attempts = FixAttempt.objects.filter(analysis_id__in=sent, strategy=FixStrategy.NOTIFY_AUTHOR).exclude(
        status=FixStatus.SUCCEEDED, details__check_run_url=row.html_url, details__comment_url=comment_url)
    now = timezone.now()
    updated = 0
    for attempt in attempts:
        attempt.status, attempt.success, attempt.error = FixStatus.SUCCEEDED, True, ""
        attempt.completed_at = now
        attempt.details = {"channel": "check_run and comment" if comment_url else "check_run",
                           "check_run_url": row.html_url, "comment_url": comment_url,
                           "sent": sent[attempt.analysis_id], "head_sha": row.head_sha}
        attempt.save(update_fields=["status", "success", "error", "completed_at", "details"])
        updated += 1
    return updated


def notify_author_attempts_skip(*, analysis_id: int, reason: str) -> int:
    """Nothing reached the author (check runs are off): the attempt says so instead of success."""
    return FixAttempt.objects.filter(analysis_id=analysis_id, strategy=FixStrategy.NOTIFY_AUTHOR).exclude(
        status=FixStatus.SKIPPED).update(status=FixStatus.SKIPPED, success=False, completed_at=timezone.now(),
                                         details={"reason": reason})
