"""Analyse one failed check run and store the verdict, the fix attempts and the CI review.

The log is fetched before any transaction is opened (a slow download must not hold
locks); only the compressed excerpt is stored unless TRIAGE_KEEP_FULL_LOGS is on.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ingestion.models import AnalysisStatus, CheckRun, PullRequest, WorkflowJob
from ingestion.services.github_api.errors import GitHubApiError, GitHubNotConfigured
from triage.failures.core.actions import recommend_action
from triage.failures.core.analysis import Analysis, analyse_log
from triage.failures.core.attribution import AttributionVerdict, attribute_failure
from triage.failures.core.excerpt import decompress_excerpt
from triage.failures.core.logs_zip import LogsArchiveError
from triage.failures.core.rules import RULES_VERSION
from triage.failures.models.analyses import CheckFailureAnalysis, FailureAttribution
from triage.failures.selectors.analyses import root_cause_examples
from triage.failures.selectors.facts import FAILED_CONCLUSIONS, attribution_facts, job_for, passing_job
from triage.failures.services import logs
from triage.failures.services.fixes import fix_attempts_plan
from triage.failures.services.reviews import pull_request_reviews_refresh

logger = logging.getLogger(__name__)


class LogUnavailable(Exception):
    """Neither the job log nor the run's logs archive could be read."""


def job_log(check_run: CheckRun, job: WorkflowJob | None) -> str:
    """The job's own log; if GitHub refuses it, the job's part of the run archive. A check
    run of another CI app has no Actions log: its reported output is the only text there is."""
    if job is None and (check_run.output_text or check_run.output_summary):
        return "\n".join(part for part in (check_run.output_title, check_run.output_summary,
                                            check_run.output_text) if part)
    try:
        return logs.job_log_text(check_run.repository, check_run.github_id)
    except (GitHubApiError, GitHubNotConfigured) as error:
        if job is None or not job.run_github_id:
            raise LogUnavailable(str(error)) from error
        first_error = error
    try:
        jobs = logs.run_job_logs(check_run.repository, job.run_github_id)
    except (GitHubApiError, LogsArchiveError) as error:
        raise LogUnavailable(f"{first_error}; run archive: {error}") from error
    found = jobs.get(job.name)
    if found is None:
        raise LogUnavailable(f"{first_error}; run archive has no job named {job.name!r}")
    return found.text


def passing_log(check_run: CheckRun, job: WorkflowJob | None, pull_request: PullRequest | None) -> str | None:
    """A passing log of the same job, or None: the diff only sharpens the root cause."""
    passed = passing_job(check_run, job, pull_request)
    if passed is None:
        return None
    try:
        return logs.job_log_text(check_run.repository, passed.github_id)
    except (GitHubApiError, GitHubNotConfigured) as error:
        logger.info("no passing log for job %s: %s", passed.github_id, error)
        return None


def _retention() -> timedelta:
    return timedelta(days=settings.TRIAGE_EXCERPT_RETENTION_DAYS)


def _ranges(analysis: Analysis) -> list[dict]:
    ranges = [asdict(line_range) for line_range in analysis.root_cause]
    if analysis.known is not None:  # the first range: say which confirmed root cause it resembles
        ranges[0]["example"] = analysis.known.example.source
    return ranges


def _evidence(verdict: AttributionVerdict) -> list[dict]:
    return [asdict(item) for item in verdict.evidence]


def check_run_analyse(check_run_id: int, *, force: bool = False) -> CheckFailureAnalysis | None:
    """Analyse a failed check run under the current rules (idempotent unless `force`)."""
    check_run = CheckRun.objects.select_related("repository", "pull_request").get(pk=check_run_id)
    if check_run.conclusion not in FAILED_CONCLUSIONS or check_run.is_gitinsight:
        return None
    existing = CheckFailureAnalysis.objects.filter(check_run=check_run, rules_version=RULES_VERSION).first()
    if existing is not None and existing.status == AnalysisStatus.DONE and not force:
        return existing
    pull_request = check_run.pull_request
    job = job_for(check_run)
    try:
        text = job_log(check_run, job)
    except LogUnavailable as error:
        return _store_failure(check_run, job, pull_request, str(error))
    passed_text = passing_log(check_run, job, pull_request)
    examples = root_cause_examples(check_run.repository_id, check_run.name)
    result = analyse_log(text, passed_text, conclusion=check_run.conclusion, examples=examples)
    facts = attribution_facts(check_run, fingerprint=result.fingerprint,
                              fingerprint_confidence=result.fingerprint_confidence, pull_request=pull_request)
    verdict = attribute_failure(facts)
    recommendation = recommend_action(category=result.category, attribution=verdict.attribution)
    now = timezone.now()
    with transaction.atomic():
        analysis, _ = CheckFailureAnalysis.objects.update_or_create(
            check_run=check_run, rules_version=result.rules_version,
            defaults={
                "workflow_job": job, "pull_request": pull_request, "head_sha": check_run.head_sha,
                "status": AnalysisStatus.DONE, "error": "",
                "category": result.category.value, "category_confidence": result.category_confidence,
                "root_cause": _ranges(result), "excerpt": result.excerpt,
                "excerpt_lines": len(decompress_excerpt(result.excerpt).lines),
                "excerpt_expires_at": now + _retention(),
                "full_log": text if settings.TRIAGE_KEEP_FULL_LOGS else "",
                "fingerprint": result.fingerprint, "fingerprint_confidence": result.fingerprint_confidence,
                "attribution": verdict.attribution.value, "attribution_confidence": verdict.confidence,
                "attribution_evidence": _evidence(verdict),
                "recommended_action": recommendation.action.value, "suggested_fix": recommendation.suggested_fix,
                "compared_with_passing": passed_text is not None, "analysed_at": now,
            },
        )
        fix_attempts_plan(analysis, recommendation, verdict)
        if pull_request is not None:
            PullRequest.objects.filter(pk=pull_request.pk).update(last_checked_at=now)
            pull_request_reviews_refresh(pull_request.pk)
    return analysis


def _store_failure(check_run: CheckRun, job: WorkflowJob | None, pull_request: PullRequest | None,
                   error: str) -> CheckFailureAnalysis:
    analysis, _ = CheckFailureAnalysis.objects.update_or_create(
        check_run=check_run, rules_version=RULES_VERSION,
        defaults={"workflow_job": job, "pull_request": pull_request, "head_sha": check_run.head_sha,
                  "status": AnalysisStatus.FAILED, "error": error[:2000],
                  "attribution": FailureAttribution.UNKNOWN, "analysed_at": timezone.now()},
    )
    return analysis


def excerpts_expire(now=None) -> int:
    """Drop excerpts (and full logs) past their retention; the verdicts stay."""
    now = now or timezone.now()
    return CheckFailureAnalysis.objects.filter(excerpt_expires_at__lt=now).update(
        excerpt=None, full_log="", excerpt_expires_at=None)
