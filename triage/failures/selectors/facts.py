"""What the database knows around one failed check run, as the pure functions' inputs.

Guard against the worst error (a real failure called FLAKY): sightings on commits of the
same pull request are not "unrelated commits" — a PR that keeps failing the same way on
each push is evidence that the PR is at fault, not that the job is flaky.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ingestion.models import AnalysisStatus, CheckRun, Issue, PullRequest, WorkflowJob
from ingestion.models.pull_request import PullRequestCommit
from triage.failures.core.attribution import (
    AttemptOutcome,
    AttributionFacts,
    FailureSighting,
    UnstableIssue,
)
from triage.failures.models.analyses import CheckFailureAnalysis

FAILED_CONCLUSIONS = ("failure", "timed_out", "cancelled")


def unstable_labels() -> tuple[str, ...]:
    return tuple(settings.TRIAGE_UNSTABLE_LABELS)


def attribution_window() -> timedelta:
    return timedelta(days=settings.TRIAGE_FLAKY_WINDOW_DAYS)


def job_for(check_run: CheckRun) -> WorkflowJob | None:
    """The Actions job behind a check run: GitHub gives both the same id, in the same
    repository (an id found in another repository is another tenant's job, never this one)."""
    return (WorkflowJob.objects.filter(repository_id=check_run.repository_id, github_id=check_run.github_id)
            .select_related("run").first())


def other_attempts(check_run: CheckRun) -> list[AttemptOutcome]:
    """Other completed runs of the same check on the same commit (re-runs get new ids)."""
    runs = (CheckRun.objects.filter(repository_id=check_run.repository_id, head_sha=check_run.head_sha,
                                    name=check_run.name, status="completed")
            .exclude(pk=check_run.pk).exclude(conclusion=""))
    attempts = dict(WorkflowJob.objects.filter(repository_id=check_run.repository_id,
                                               github_id__in=[r.github_id for r in runs])
                    .values_list("github_id", "run_attempt"))
    return [AttemptOutcome(attempt=attempts.get(r.github_id, 0), conclusion=r.conclusion,
                           url=r.html_url or r.details_url) for r in runs]


def _pull_request_shas(pull_request: PullRequest | None) -> set[str]:
    if pull_request is None:
        return set()
    shas = set(PullRequestCommit.objects.filter(pull_request=pull_request).values_list("sha", flat=True))
    shas.update(CheckFailureAnalysis.objects.filter(pull_request=pull_request).values_list("head_sha", flat=True))
    return shas | {pull_request.head_sha}


def _base_shas(pull_request: PullRequest | None) -> tuple[str, str]:
    return (pull_request.base_sha, pull_request.base_ref) if pull_request else ("", "")


def sightings(check_run: CheckRun, fingerprint: str, pull_request: PullRequest | None,
              window: timedelta) -> list[FailureSighting]:
    """The same job failing with the same fingerprint on other commits within the window."""
    if not fingerprint:
        return []
    since = (check_run.completed_at or timezone.now()) - window
    rows = (CheckFailureAnalysis.objects
            .filter(check_run__repository_id=check_run.repository_id, check_run__name=check_run.name,
                    fingerprint=fingerprint, status=AnalysisStatus.DONE, analysed_at__gte=since)
            .exclude(head_sha=check_run.head_sha)
            .select_related("check_run", "check_run__check_suite", "workflow_job"))
    own = _pull_request_shas(pull_request)
    base_sha, base_ref = _base_shas(pull_request)
    found = []
    for row in rows:
        if row.head_sha in own or (pull_request is not None and row.pull_request_id == pull_request.pk):
            continue
        branch = (row.workflow_job.head_branch if row.workflow_job else "") or (
            row.check_run.check_suite.head_branch if row.check_run.check_suite else "")
        on_base = bool(base_sha and row.head_sha == base_sha) or bool(base_ref and branch == base_ref
                                                                          and row.pull_request_id is None)
        found.append(FailureSighting(sha=row.head_sha, fingerprint=row.fingerprint,
                                     seen_at=row.check_run.completed_at or row.analysed_at, on_base=on_base,
                                     url=row.check_run.html_url or row.check_run.details_url))
    return found


def unstable_issues(check_run: CheckRun) -> list[UnstableIssue]:
    labels = Q()
    for label in unstable_labels():
        labels |= Q(labels__contains=[label])
    issues = Issue.objects.filter(labels, repository_id=check_run.repository_id, state="open",
                                  is_pull_request=False)
    return [UnstableIssue(number=i.number, title=i.title, body=i.body, url=i.html_url) for i in issues]


def attribution_facts(check_run: CheckRun, *, fingerprint: str, fingerprint_confidence: float,
                      pull_request: PullRequest | None) -> AttributionFacts:
    window = attribution_window()
    return AttributionFacts(
        sha=check_run.head_sha,
        job_name=check_run.name,
        fingerprint=fingerprint,
        fingerprint_confidence=fingerprint_confidence,
        failed_at=check_run.completed_at or timezone.now(),
        other_attempts=other_attempts(check_run),
        sightings=sightings(check_run, fingerprint, pull_request, window),
        unstable_issues=unstable_issues(check_run),
        window=window,
    )


def passing_job(check_run: CheckRun, job: WorkflowJob | None, pull_request: PullRequest | None) -> WorkflowJob | None:
    """A passing run of the same job to diff against: another attempt of this commit
    first, else the newest pass on the base branch, else the newest pass anywhere."""
    name = job.name if job else check_run.name
    passes = (WorkflowJob.objects.filter(repository_id=check_run.repository_id, name=name, conclusion="success")
              .exclude(github_id=check_run.github_id).order_by("-completed_at"))
    same_sha = passes.filter(head_sha=check_run.head_sha).first()
    if same_sha is not None:
        return same_sha
    if pull_request is not None and pull_request.base_ref:
        on_base = passes.filter(head_branch=pull_request.base_ref).first()
        if on_base is not None:
            return on_base
    return passes.first()
