"""The notice followers get about a check that failed because of a pull request."""

from __future__ import annotations

from triage.failures.models.analyses import CheckFailureAnalysis, FailureAttribution
from workspace.services.notifications import followers_notify


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
