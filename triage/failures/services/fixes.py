"""Fix attempts per policy. Re-running is recommended only for FLAKY or infrastructure
failures (see triage.failures.core.actions) and actually happens only with TRIAGE_AUTO_RERUN on
and a confident verdict: a needless re-run burns runner time and can hide a real bug."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from ingestion.services.github_api.errors import GitHubApiError, GitHubNotConfigured
from triage.failures.core.actions import Action, Recommendation
from triage.failures.core.attribution import Attribution, AttributionVerdict
from triage.failures.models.analyses import CheckFailureAnalysis, FixAttempt, FixStatus, FixStrategy
from triage.failures.services import logs

MAX_RERUNS = 1  # a job failing again after one re-run is not treated as flaky any more


def _rerun_gate(analysis: CheckFailureAnalysis, verdict: AttributionVerdict) -> str:
    """Why a recommended re-run must not happen automatically; "" when it may."""
    if not settings.TRIAGE_AUTO_RERUN:
        return "TRIAGE_AUTO_RERUN is off"
    threshold = settings.TRIAGE_RERUN_MIN_CONFIDENCE
    confidence = verdict.confidence if verdict.attribution is Attribution.FLAKY else analysis.category_confidence
    if confidence < threshold:
        return f"confidence {confidence:.2f} is below {threshold:.2f}"
    if analysis.workflow_job is None or not analysis.workflow_job.run_github_id:
        return "not a GitHub Actions job: no workflow run to re-run"
    return ""


def fix_attempts_plan(analysis: CheckFailureAnalysis, recommendation: Recommendation,
                      verdict: AttributionVerdict) -> list[FixAttempt]:
    """Create (or refresh) this analysis's attempts; call inside the analysis transaction."""
    now = timezone.now()
    attempts = [FixAttempt.objects.update_or_create(
        analysis=analysis, strategy=FixStrategy.SUGGEST_FIX,
        defaults={"status": FixStatus.SUCCEEDED, "success": True, "completed_at": now,
                  "details": {"text": recommendation.suggested_fix}})[0]]
    if recommendation.action is Action.NOTIFY_AUTHOR:
        # The author is told by GitInsight's check run on the head (and the comment, where the
        # repository has one): pending until it is posted, then it records what was sent
        # (triage.verdicts), or skipped, saying so, where check runs are off.
        attempts.append(FixAttempt.objects.update_or_create(
            analysis=analysis, strategy=FixStrategy.NOTIFY_AUTHOR,
            defaults={"status": FixStatus.PENDING, "success": None, "completed_at": None,
                      "details": {"channel": "check_run"}})[0])
    if recommendation.rerun_allowed:
        existing = FixAttempt.objects.filter(analysis=analysis, strategy=FixStrategy.RERUN_FAILED_JOBS).first()
        if existing is not None and existing.status != FixStatus.SKIPPED:
            attempts.append(existing)  # already re-run (or queued): never twice for one analysis
            return attempts
        reason = _rerun_gate(analysis, verdict)
        attempt, _ = FixAttempt.objects.update_or_create(
            analysis=analysis, strategy=FixStrategy.RERUN_FAILED_JOBS,
            defaults={"status": FixStatus.SKIPPED if reason else FixStatus.PENDING,
                      "details": {"reason": reason} if reason else {},
                      "completed_at": now if reason else None})
        if not reason:
            transaction.on_commit(partial(async_task, "triage.failures.tasks.fix_attempt_rerun", attempt.pk))
        attempts.append(attempt)
    return attempts


def fix_attempt_rerun(attempt_id: int) -> FixAttempt:
    """Ask GitHub to re-run the failed jobs of the analysis's workflow run (idempotent)."""
    with transaction.atomic():
        attempt = (FixAttempt.objects.select_for_update(of=("self",))
                   .select_related("analysis__workflow_job", "analysis__check_run__repository").get(pk=attempt_id))
        if attempt.status != FixStatus.PENDING or attempt.retry_count >= MAX_RERUNS:
            return attempt
        attempt.status, attempt.started_at = FixStatus.IN_PROGRESS, timezone.now()
        attempt.retry_count += 1
        attempt.save(update_fields=["status", "started_at", "retry_count"])
    analysis = attempt.analysis
    try:
        status = logs.rerun_failed_jobs(analysis.check_run.repository, analysis.workflow_job.run_github_id)
    except (GitHubApiError, GitHubNotConfigured) as error:
        attempt.status, attempt.success, attempt.error = FixStatus.FAILED, False, str(error)[:2000]
    else:
        attempt.status, attempt.success = FixStatus.SUCCEEDED, None  # the outcome is the next run's conclusion
        attempt.details = {**attempt.details, "github_status": status}
    attempt.completed_at = timezone.now()
    attempt.save(update_fields=["status", "success", "error", "details", "completed_at"])
    return attempt


def rerun_record(analysis: CheckFailureAnalysis, *, by: str) -> FixAttempt:
    """A maintainer re-ran the failed jobs by hand: count it so no automatic re-run follows."""
    attempt, _ = FixAttempt.objects.get_or_create(analysis=analysis, strategy=FixStrategy.RERUN_FAILED_JOBS)
    attempt.retry_count += 1
    attempt.status, attempt.started_at = FixStatus.IN_PROGRESS, timezone.now()
    attempt.details = {**attempt.details, "recorded_by": by, "manual": True}
    attempt.save()
    return attempt
