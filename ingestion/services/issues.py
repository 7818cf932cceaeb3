from __future__ import annotations

from django.db import transaction

from ingestion import signals
from ingestion.core.normalize import issue_fields, milestone_fields
from ingestion.core.normalize.common import required_int
from ingestion.models import Issue, Milestone, Repository
from ingestion.services.rows import announce, row_owner_check, row_upsert

#: an issue or a milestone belongs to one repository; a payload never moves it
OWNED = ("repository_id",)


def milestone_upsert(*, repository: Repository, data: dict) -> Milestone:
    fields = milestone_fields(data)
    github_id = fields.pop("github_id")
    fields["repository_id"] = repository.pk
    result = row_upsert(
        Milestone,
        lookup={"github_id": github_id},
        fields=fields,
        fresh_by="updated_at",
        natural_key=("repository_id", "number"),
        scope=OWNED,
    )
    if result.changed:
        announce(signals.milestone_changed, sender=Milestone, repository_id=repository.pk, milestone_id=result.row.pk)
    return result.row


def issue_upsert(*, repository: Repository, data: dict, delivery_id: str | None = None) -> Issue:
    """Store an issue from GitHub JSON (its milestone too); `delivery_id` is accepted for
    symmetry with pull requests and not stored."""
    fields = issue_fields(data)
    github_id = fields.pop("github_id")
    fields["repository_id"] = repository.pk
    with transaction.atomic():
        if "milestone" in data:
            milestone = milestone_upsert(repository=repository, data=data["milestone"]) if data["milestone"] else None
            fields["milestone_id"] = milestone.pk if milestone else None
        result = row_upsert(
            Issue,
            lookup={"github_id": github_id},
            fields=fields,
            fresh_by="updated_at",
            natural_key=("repository_id", "number"),
            scope=OWNED,
        )
    if result.changed:
        announce(signals.issue_changed, sender=Issue, repository_id=repository.pk, issue_id=result.row.pk)
    return result.row


def milestone_mark_deleted(*, repository: Repository, data: dict) -> int:
    """A deleted milestone disappears; its issues and pull requests keep a null milestone."""
    github_id = required_int(data, "id", "milestone")
    row_owner_check(Milestone, lookup={"github_id": github_id}, scope={"repository_id": repository.pk})
    deleted, _ = Milestone.objects.filter(repository=repository, github_id=github_id).delete()
    return deleted


def issue_delete(*, repository: Repository, data: dict) -> int:
    github_id = required_int(data, "id", "issue")
    row_owner_check(Issue, lookup={"github_id": github_id}, scope={"repository_id": repository.pk})
    deleted, _ = Issue.objects.filter(repository=repository, github_id=github_id).delete()
    return deleted
