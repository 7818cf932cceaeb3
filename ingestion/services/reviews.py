from __future__ import annotations

from django.utils import timezone

from ingestion.core.normalize import comment_fields, review_fields
from ingestion.core.normalize.common import optional_int, required_int
from ingestion.models import Comment, Issue, PullRequest, Repository, Review
from ingestion.services.rows import row_upsert


def review_upsert(*, pull_request: PullRequest, data: dict) -> Review:
    fields = review_fields(data)
    github_id = fields.pop("github_id")
    fields.update(repository_id=pull_request.repository_id, pull_request_id=pull_request.pk)
    return row_upsert(Review, lookup={"github_id": github_id}, fields=fields).row


def comment_upsert(
    *,
    repository: Repository,
    data: dict,
    kind: str,
    issue: Issue | None = None,
    pull_request: PullRequest | None = None,
    review: Review | None = None,
) -> Comment:
    """`kind` is Comment.Kind: "issue" / "pull_request" (conversation) or "review" (diff)."""
    fields = comment_fields(data, kind=kind)
    github_id = fields.pop("github_id")
    fields["repository_id"] = repository.pk
    for name, parent in (("issue_id", issue), ("pull_request_id", pull_request), ("review_id", review)):
        if parent is not None:
            fields[name] = parent.pk
    review_github_id = optional_int(data.get("pull_request_review_id"))
    if fields.get("review_id") is None and review_github_id:
        fields["review_id"] = Review.objects.filter(github_id=review_github_id).values_list("pk", flat=True).first()
    return row_upsert(Comment, lookup={"github_id": github_id}, fields=fields, fresh_by="updated_at").row


def comment_mark_deleted(*, data: dict) -> int:
    github_id = required_int(data, "id", "comment")
    return Comment.objects.filter(github_id=github_id, deleted_at__isnull=True).update(deleted_at=timezone.now())
