"""What duplicate detection puts in the admin inbox: same-change and competing verdicts on
open pull requests' current heads that no maintainer has judged yet."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse

from gitinsight.presentation import percent
from triage.duplicates.models import CandidateEdge
from triage.duplicates.models.choices import TriageCategory
from triage.presentation import duplicate_words
from workspace.inbox import AttentionItem

VERDICTS_NEEDING_A_LOOK = (TriageCategory.SAME_CHANGE, TriageCategory.COMPETING_IMPLEMENTATION)


def _shared(evidence: dict) -> str:
    paths = evidence.get("production_paths") or evidence.get("paths") or []
    if not paths:
        return ""
    more = f" and {len(paths) - 2} more" if len(paths) > 2 else ""
    return f"; both change {', '.join(paths[:2])}{more}"


def duplicate_verdicts_awaiting_feedback(user: AbstractBaseUser) -> list[AttentionItem]:
    """Best same-change / competing edges of open pull requests' current heads without feedback;
    a pair is listed once, from its later pull request."""
    edges = CandidateEdge.objects.visible_to(user).filter(
        category__in=VERDICTS_NEEDING_A_LOOK, pull_request_a__state="open", feedback__isnull=True,
    ).select_related("repository", "pull_request_a", "pull_request_b").order_by("-final_score")[:200]
    items, seen = [], set()
    for edge in edges:
        if edge.head_sha_a != edge.pull_request_a.head_sha:
            continue  # a newer push has its own run
        pair = frozenset((edge.pull_request_a_id, edge.pull_request_b_id))
        if pair in seen:
            continue
        seen.add(pair)
        a, b = edge.pull_request_a, edge.pull_request_b
        same = edge.category == TriageCategory.SAME_CHANGE
        items.append(AttentionItem(
            kind="duplicate_verdict",
            repository=edge.repository.full_name,
            title=f"#{a.number} and #{b.number}: {duplicate_words(edge.category)}",
            url=reverse("admin:triage_candidateedge_change", args=[edge.pk]),
            severity="high" if same else "medium",
            reason=(f"#{a.number} ({a.author_login or 'someone'}) looks like {duplicate_words(edge.category)} as "
                    f"#{b.number} ({b.author_login or 'someone'}), {percent(edge.final_score)} similar"
                    f"{_shared(edge.evidence_json)}. Confirm it to close one, or reject the verdict."),
            score=edge.final_score,
            action="Confirm or reject",
        ))
    return items
