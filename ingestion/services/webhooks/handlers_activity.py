"""Handlers for pull requests, reviews, issues, comments and milestones."""

from __future__ import annotations

from ingestion.models import Comment, PullRequest, WebhookDelivery
from ingestion.services import (
    comment_mark_deleted,
    comment_upsert,
    issue_delete,
    issue_upsert,
    milestone_mark_deleted,
    milestone_upsert,
    pull_request_upsert,
    review_upsert,
)
from ingestion.services.webhooks.handlers_repository import payload_part, payload_repository_required
from ingestion.services.webhooks.outcome import Outcome


def pull_request(payload: dict, delivery: WebhookDelivery) -> Outcome:
    """Every action stores the pull request; state and head changes land in its history."""
    repository = payload_repository_required(payload)
    data = payload_part(payload, "pull_request")
    pull_request_upsert(repository=repository, data=data, delivery_id=delivery.pk, action=delivery.action)
    return Outcome.processed(repository)


def pull_request_review(payload: dict, delivery: WebhookDelivery) -> Outcome:
    repository = payload_repository_required(payload)
    data = payload_part(payload, "pull_request")
    stored = pull_request_upsert(repository=repository, data=data, delivery_id=delivery.pk)
    review_upsert(pull_request=stored, data=payload_part(payload, "review"))
    return Outcome.processed(repository)


def pull_request_review_comment(payload: dict, delivery: WebhookDelivery) -> Outcome:
    repository = payload_repository_required(payload)
    data = payload_part(payload, "pull_request")
    stored = pull_request_upsert(repository=repository, data=data, delivery_id=delivery.pk)
    comment = payload_part(payload, "comment")
    if delivery.action == "deleted":
        comment_mark_deleted(repository=repository, data=comment)
    else:
        comment_upsert(repository=repository, data=comment, kind=Comment.Kind.REVIEW, pull_request=stored)
    return Outcome.processed(repository)


def issues(payload: dict, delivery: WebhookDelivery) -> Outcome:
    repository = payload_repository_required(payload)
    if delivery.action == "deleted":
        issue_delete(repository=repository, data=payload_part(payload, "issue"))
    else:
        issue_upsert(repository=repository, data=payload_part(payload, "issue"), delivery_id=delivery.pk)
    return Outcome.processed(repository)


def issue_comment(payload: dict, delivery: WebhookDelivery) -> Outcome:
    """A comment on an issue, or on a pull request's conversation (GitHub sends the pull
    request as an issue with a `pull_request` key)."""
    repository = payload_repository_required(payload)
    issue = issue_upsert(repository=repository, data=payload_part(payload, "issue"), delivery_id=delivery.pk)
    if delivery.action == "deleted":
        comment_mark_deleted(repository=repository, data=payload_part(payload, "comment"))
        return Outcome.processed(repository)
    on_pull_request = issue.is_pull_request
    pull_request = (
        PullRequest.objects.filter(repository=repository, number=issue.number).first() if on_pull_request else None
    )
    comment_upsert(
        repository=repository,
        data=payload_part(payload, "comment"),
        kind=Comment.Kind.PULL_REQUEST if on_pull_request else Comment.Kind.ISSUE,
        issue=issue,
        pull_request=pull_request,
    )
    return Outcome.processed(repository)


def milestone(payload: dict, delivery: WebhookDelivery) -> Outcome:
    repository = payload_repository_required(payload)
    if delivery.action == "deleted":
        milestone_mark_deleted(repository=repository, data=payload_part(payload, "milestone"))
    else:
        milestone_upsert(repository=repository, data=payload_part(payload, "milestone"))
    return Outcome.processed(repository)
