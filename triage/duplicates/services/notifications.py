"""The notice followers get about a SAME_CHANGE duplicate."""

from __future__ import annotations

from triage.duplicates.models import AnalysisRun
from triage.duplicates.models.choices import TriageCategory
from workspace.services.notifications import followers_notify


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
