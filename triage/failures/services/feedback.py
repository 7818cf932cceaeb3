"""Maintainers' feedback on a review verdict (helpful or not), audited."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from gitinsight.services.audit import audit_record
from ingestion.models import PullRequest
from triage.failures.models.analyses import PullRequestReview


def review_feedback_record(*, user: AbstractBaseUser, pull_request: PullRequest, reviewer_type: str,
                           feedback: str, comment: str = "") -> PullRequestReview:
    """Feedback on the review of the PR's current head; raises DoesNotExist if there is none."""
    review = PullRequestReview.objects.get(pull_request=pull_request, head_sha=pull_request.head_sha,
                                           reviewer_type=reviewer_type)
    review.feedback, review.feedback_comment = feedback, comment
    review.feedback_by, review.feedback_at = user, timezone.now()
    review.save(update_fields=["feedback", "feedback_comment", "feedback_by", "feedback_at", "updated_at"])
    audit_record(user=user, action="triage.review_feedback", resource_type="pull_request_review",
                 resource_id=review.pk, details={"pull_request": pull_request.pk, "reviewer_type": reviewer_type,
                                                 "feedback": feedback})
    return review
