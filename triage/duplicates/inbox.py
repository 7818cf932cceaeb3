"""What duplicate detection puts in the admin inbox: SAME_CHANGE and COMPETING verdicts on
open pull requests' current heads that no maintainer has judged yet."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from triage.duplicates.models import CandidateEdge
from triage.duplicates.models.choices import TriageCategory
from workspace.inbox import AttentionItem

VERDICTS_NEEDING_A_LOOK = (TriageCategory.SAME_CHANGE, TriageCategory.COMPETING_IMPLEMENTATION)


def duplicate_verdicts_awaiting_feedback(user: AbstractBaseUser) -> list[AttentionItem]:
    """Best SAME_CHANGE / COMPETING edges of open pull requests' current heads without feedback."""
    edges = CandidateEdge.objects.visible_to(user).filter(
        category__in=VERDICTS_NEEDING_A_LOOK, pull_request_a__state="open", feedback__isnull=True,
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
