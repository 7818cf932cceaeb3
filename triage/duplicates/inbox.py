"""Triage's part of the maintainers' workspace: dashboard items, the triage job, and the
notice followers get about a SAME_CHANGE duplicate."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F

from analysis.models import AnalysisJob
from gitinsight.selectors import visible_to
from ingestion.models import PullRequest
from triage.duplicates.models.choices import TriageCategory
from triage.duplicates.services.runs import analysis_run_create, analysis_run_execute
from triage.failures.models.analyses import CheckFailureAnalysis, FailureAttribution
from triage.models import AnalysisRun, CandidateEdge
from workspace.inbox import AttentionItem
from workspace.services.job_progress import JobProgress
from workspace.services.notifications import followers_notify

VERDICTS_NEEDING_A_LOOK = (TriageCategory.SAME_CHANGE, TriageCategory.COMPETING_IMPLEMENTATION)


def duplicate_verdicts_awaiting_feedback(user: AbstractBaseUser) -> list[AttentionItem]:
    """Best SAME_CHANGE / COMPETING edges of open pull requests' current heads without feedback."""
    edges = visible_to(
        CandidateEdge.objects.filter(
            category__in=VERDICTS_NEEDING_A_LOOK, pull_request_a__state="open", feedback__isnull=True,
        ),
        user,
        organization_path="repository__organization",
    ).select_related("repository", "pull_request_a", "pull_request_b").order_by("-final_score")[:200]
    items = []
    for edge in edges:
        if edge.head_sha_a != edge.pull_request_a.head_sha:
            continue  # a newer push has its own run
        items.append(AttentionItem(
            kind="duplicate_verdict",
            repository=edge.repository.full_name,
            title=f"#{edge.pull_request_a.number} vs #{edge.pull_request_b.number}: {edge.get_category_display()}",
            url=f"/admin/triage/candidateedge/{edge.pk}/change/",
            severity="high" if edge.category == TriageCategory.SAME_CHANGE else "medium",
            detail=f"score {edge.final_score:.2f}; {edge.pull_request_a.title}",
            score=edge.final_score,
        ))
    return items


def same_change_notify(run: AnalysisRun) -> int:
    sent = 0
    for edge in run.edges.filter(category=TriageCategory.SAME_CHANGE).select_related("pull_request_a",
                                                                                       "pull_request_b"):
        sent += followers_notify(
            repository_id=run.repository_id,
            kind="same_change_duplicate",
            event_key=f"same_change:{edge.pull_request_a_id}:{edge.head_sha_a}:{edge.pull_request_b_id}",
            subject=f"#{edge.pull_request_a.number} makes the same change as #{edge.pull_request_b.number}",
            body=f"{edge.pull_request_a.title}\nvs {edge.pull_request_b.title}\nScore {edge.final_score:.2f}.",
            url=f"/admin/triage/candidateedge/{edge.pk}/change/",
        )
    return sent


def run_triage(job: AnalysisJob, progress: JobProgress) -> dict[str, Any]:
    """Analyse the current head of every open pull request that has no finished run for it."""
    pull_requests = list(PullRequest.objects.filter(repository_id=job.repository_id, state="open")
                         .exclude(head_sha="").order_by("number"))
    progress.start(len(pull_requests), "analysing open pull requests")
    statuses: dict[str, int] = {}
    for pull_request in pull_requests:
        done = AnalysisRun.objects.filter(
            pull_request=pull_request, head_sha=pull_request.head_sha,
            status__in=[AnalysisRun.Status.DONE, AnalysisRun.Status.DEGRADED],
        ).exists()
        if not done:
            run = analysis_run_execute(run=analysis_run_create(pull_request=pull_request,
                                                               head_sha=pull_request.head_sha))
            statuses[run.status] = statuses.get(run.status, 0) + 1
        progress.advance(1, f"#{pull_request.number}")
    return {"pull_requests": len(pull_requests), "runs": statuses}


def failed_checks_caused_by_pull_requests(user: AbstractBaseUser) -> list[AttentionItem]:
    """Failed checks on open pull requests' current heads that the pull request caused (NEW),
    or that break the trunk; flaky and known-unstable ones wait for a rerun, not a person."""
    analyses = visible_to(
        CheckFailureAnalysis.objects.filter(
            pull_request__state="open", head_sha=F("pull_request__head_sha"),
            attribution__in=[FailureAttribution.NEW, FailureAttribution.BROKEN_TRUNK],
        ),
        user,
        organization_path="check_run__repository__organization",
    ).select_related("check_run__repository", "pull_request").order_by("check_run_id", "-created_at")
    items = []
    for analysis in analyses.distinct("check_run_id")[:200]:
        pull_request = analysis.pull_request
        items.append(AttentionItem(
            kind="failed_check",
            repository=analysis.check_run.repository.full_name,
            title=f"#{pull_request.number}: {analysis.check_run.name} failed ({analysis.get_attribution_display()})",
            url=f"/admin/triage/triagequeueitem/{pull_request.pk}/report/",
            severity="high" if analysis.attribution == FailureAttribution.NEW else "medium",
            detail=f"{analysis.category}; {analysis.recommended_action}",
            score=analysis.attribution_confidence,
        ))
    return items


def new_failure_notify(analysis: CheckFailureAnalysis) -> int:
    """Followers hear once about a check that failed because of a pull request (NEW)."""
    if analysis.attribution != FailureAttribution.NEW or analysis.pull_request is None:
        return 0
    pull_request = analysis.pull_request
    return followers_notify(
        repository_id=analysis.check_run.repository_id,
        kind="new_check_failure",
        event_key=f"new_check_failure:{analysis.check_run_id}:{analysis.head_sha}",
        subject=f"#{pull_request.number}: {analysis.check_run.name} failed because of this pull request",
        body=f"{pull_request.title}\nCategory: {analysis.category}. Recommended: {analysis.recommended_action}.\n"
             f"{analysis.suggested_fix}".strip(),
        url=f"/admin/triage/triagequeueitem/{pull_request.pk}/report/",
    )
