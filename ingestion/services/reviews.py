from __future__ import annotations

from django.utils import timezone

from ingestion.core.normalize import comment_fields, review_fields
from ingestion.core.normalize.common import optional_int, required_int
from ingestion.models import Comment, Issue, PullRequest, Repository, Review
from ingestion.services.rows import row_owner_check, row_upsert

#: a review or a comment belongs to one repository; a payload never moves it
OWNED = ("repository_id",)


def review_upsert(*, pull_request: PullRequest, data: dict) -> Review:
    fields = review_fields(data)
    github_id = fields.pop("github_id")
    fields.update(repository_id=pull_request.repository_id, pull_request_id=pull_request.pk)
    return row_upsert(Review, lookup={"github_id": github_id}, fields=fields, scope=OWNED).row


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
        fields["review_id"] = (
            Review.objects.filter(repository=repository, github_id=review_github_id)
            .values_list("pk", flat=True)
            .first()
        )
    return row_upsert(Comment, lookup={"github_id": github_id}, fields=fields, fresh_by="updated_at", scope=OWNED).row


def comment_mark_deleted(*, repository: Repository, data: dict) -> int:
    github_id = required_int(data, "id", "comment")
    row_owner_check(Comment, lookup={"github_id": github_id}, scope={"repository_id": repository.pk})
    return Comment.objects.filter(repository=repository, github_id=github_id, deleted_at__isnull=True).update(
        deleted_at=timezone.now()
    )
