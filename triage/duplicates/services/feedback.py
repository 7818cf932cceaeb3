"""Maintainer feedback on verdicts (table `triage_feedback`), audited."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from gitinsight.services.audit import audit_record
from triage.duplicates.models import CandidateEdge, Feedback
from triage.duplicates.models.choices import FeedbackDecision, TriageCategory

#: the decision that confirms each category (rejecting records NOT_RELATED)
CONFIRMS = {
    TriageCategory.SAME_CHANGE: FeedbackDecision.DUPLICATE,
    TriageCategory.SAME_FEATURE: FeedbackDecision.SAME_FEATURE,
    TriageCategory.COMPETING_IMPLEMENTATION: FeedbackDecision.COMPETING,
    TriageCategory.RELATED: FeedbackDecision.RELATED,
    TriageCategory.NOT_RELATED: FeedbackDecision.NOT_RELATED,
    TriageCategory.UNCERTAIN: FeedbackDecision.RELATED,
}


class FeedbackRejected(ValueError):
    """The decision is not one of the feedback decisions."""


def feedback_record(
    *, user: AbstractBaseUser, edge: CandidateEdge, decision: str, notes: str = "", base_pr_number: int | None = None
) -> Feedback:
    if decision not in FeedbackDecision.values:
        raise FeedbackRejected(f"Unknown decision {decision!r}; use one of {', '.join(FeedbackDecision.values)}.")
    feedback = Feedback.objects.create(
        repository_id=edge.repository_id, pull_request_id=edge.pull_request_a_id, head_sha=edge.head_sha_a,
        candidate_pull_request_id=edge.pull_request_b_id, candidate_head_sha=edge.head_sha_b, edge=edge,
        decision=decision, base_pr_number=base_pr_number, actor=user,
        actor_login=getattr(user, "github_login", "") or user.get_username(), notes=notes,
    )
    audit_record(user=user, action="triage.feedback", resource_type="pr_candidate_edge", resource_id=edge.pk,
                 details={"decision": decision, "category": edge.category, "final_score": edge.final_score})
    return feedback


def feedback_confirm(*, user: AbstractBaseUser, edge: CandidateEdge, notes: str = "") -> Feedback:
    return feedback_record(user=user, edge=edge, decision=CONFIRMS[TriageCategory(edge.category)], notes=notes)


def feedback_reject(*, user: AbstractBaseUser, edge: CandidateEdge, notes: str = "") -> Feedback:
    return feedback_record(user=user, edge=edge, decision=FeedbackDecision.NOT_RELATED, notes=notes)
