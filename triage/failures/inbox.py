"""What failed-check analysis puts in the admin inbox: failures on open pull requests' current
heads that the pull request caused or that break the trunk, with who caused them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F
from django.urls import reverse

from triage.failures.models.analyses import CheckFailureAnalysis, FailureAttribution
from triage.presentation import action_words, failure_category_words
from workspace.inbox import AttentionItem


def failed_checks_caused_by_pull_requests(user: AbstractBaseUser) -> list[AttentionItem]:
    """Failed checks on open pull requests' current heads that the pull request caused (new),
    or that break the trunk; flaky and known-unstable ones wait for a rerun, not a person."""
    analyses = CheckFailureAnalysis.objects.visible_to(user).filter(
        pull_request__state="open", head_sha=F("pull_request__head_sha"),
        attribution__in=[FailureAttribution.NEW, FailureAttribution.BROKEN_TRUNK],
    ).select_related("check_run__repository", "pull_request").latest_per_check_run()
    items = []
    for analysis in analyses[:200]:
        pull_request = analysis.pull_request
        new = analysis.attribution == FailureAttribution.NEW
        who = (f"caused by #{pull_request.number} by {pull_request.author_login or 'its author'}" if new
               else "already failing on the base branch, not caused by this pull request")
        items.append(AttentionItem(
            kind="failed_check",
            repository=analysis.check_run.repository.full_name,
            title=f"{analysis.check_run.name} failed on #{pull_request.number} {pull_request.title}",
            url=reverse("admin:triage_checkfailureanalysis_change", args=[analysis.pk]),
            severity="high" if new else "medium",
            reason=(f"It fails on {failure_category_words(analysis.category)}, {who}; next: "
                    f"{action_words(analysis.recommended_action)}."),
            score=analysis.attribution_confidence,
            action="See the failing lines",
        ))
    return items
