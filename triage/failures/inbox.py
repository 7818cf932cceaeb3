"""What failed-check analysis puts in the admin inbox: failures on open pull requests' current
heads that the pull request caused or that break the trunk."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F

from triage.failures.models.analyses import CheckFailureAnalysis, FailureAttribution
from workspace.inbox import AttentionItem


def failed_checks_caused_by_pull_requests(user: AbstractBaseUser) -> list[AttentionItem]:
    """Failed checks on open pull requests' current heads that the pull request caused (NEW),
    or that break the trunk; flaky and known-unstable ones wait for a rerun, not a person."""
    analyses = CheckFailureAnalysis.objects.visible_to(user).filter(
        pull_request__state="open", head_sha=F("pull_request__head_sha"),
        attribution__in=[FailureAttribution.NEW, FailureAttribution.BROKEN_TRUNK],
    ).select_related("check_run__repository", "pull_request").latest_per_check_run()
    items = []
    for analysis in analyses[:200]:
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
