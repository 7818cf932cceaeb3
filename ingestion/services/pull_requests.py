from __future__ import annotations

from django.db import transaction

from ingestion import signals
from ingestion.core.normalize import pull_request_fields, pull_request_file_fields
from ingestion.models import (
    Commit,
    PullRequest,
    PullRequestCommit,
    PullRequestFile,
    PullRequestStateHistory,
    Repository,
)
from ingestion.services.issues import milestone_upsert
from ingestion.services.rows import Upserted, announce, row_upsert

Trigger = PullRequestStateHistory.TriggerEvent


def pull_request_upsert(
    *, repository: Repository, data: dict, delivery_id: str | None = None, action: str | None = None
) -> PullRequest:
    """Store a pull request from GitHub JSON. Every change of state or head (and every
    `edited` delivery that changed something) appends a PullRequestStateHistory row, and
    opened / head changed / closed signals go out after commit. `action` is the webhook
    action when there is one; without it the trigger is inferred from what changed."""
    fields = pull_request_fields(data)
    github_id = fields.pop("github_id")
    fields["repository_id"] = repository.pk
    if "milestone" in data:
        milestone = milestone_upsert(repository=repository, data=data["milestone"]) if data["milestone"] else None
        fields["milestone_id"] = milestone.pk if milestone else None
    if delivery_id:
        fields["last_ingested_delivery_id"] = delivery_id
    with transaction.atomic():
        result = row_upsert(
            PullRequest,
            lookup={"github_id": github_id},
            fields=fields,
            fresh_by="updated_at",
            natural_key=("repository_id", "number"),
            scope=("repository_id",),
        )
        _record_history(result, delivery_id=delivery_id, action=action)
    return result.row


def _record_history(result: Upserted[PullRequest], *, delivery_id: str | None, action: str | None) -> None:
    pull_request, previous = result.row, result.previous
    old_state = "" if result.created else previous.get("state", pull_request.state)
    old_head = "" if result.created else previous.get("head_sha", pull_request.head_sha)
    state_changed = result.created or "state" in previous
    head_changed = not result.created and "head_sha" in previous
    edited = action == Trigger.EDITED and bool(set(previous) - {"last_ingested_delivery_id", "updated_at"})
    if not (state_changed or head_changed or edited):
        return
    PullRequestStateHistory.objects.create(
        repository_id=pull_request.repository_id,
        pull_request=pull_request,
        old_state=old_state,
        new_state=pull_request.state,
        trigger_event=_trigger(result, old_state=old_state, head_changed=head_changed, action=action),
        head_sha=pull_request.head_sha,
        previous_head_sha=old_head if head_changed else "",
        delivery_id=delivery_id or "",
        metadata={"action": action} if action else {},
    )
    ids = {"repository_id": pull_request.repository_id, "pull_request_id": pull_request.pk}
    is_open = pull_request.state == PullRequest.State.OPEN
    if is_open and (result.created or old_state != PullRequest.State.OPEN):
        announce(signals.pull_request_opened, sender=PullRequest, head_sha=pull_request.head_sha, **ids)
    elif head_changed:
        announce(
            signals.pull_request_head_changed,
            sender=PullRequest,
            head_sha=pull_request.head_sha,
            previous_head_sha=old_head or None,
            **ids,
        )
    if not is_open and not result.created and "state" in previous:
        announce(signals.pull_request_closed, sender=PullRequest, merged=pull_request.merged, **ids)


def _trigger(result: Upserted[PullRequest], *, old_state: str, head_changed: bool, action: str | None) -> str:
    if action in Trigger.values:
        return action
    state = result.row.state
    if result.created:
        return Trigger.OPENED if state == PullRequest.State.OPEN else Trigger.CLOSED
    if "state" in result.previous:
        return Trigger.REOPENED if state == PullRequest.State.OPEN else Trigger.CLOSED
    if head_changed:
        return Trigger.SYNCHRONIZE
    return Trigger.MANUAL_CHECK


def pull_request_files_replace(*, pull_request: PullRequest, head_sha: str, items: list[dict]) -> int:
    """The files of `pull_request` at `head_sha` become exactly `items` (REST files JSON);
    files of other head shas are kept (analysis is versioned by head)."""
    rows = [
        PullRequestFile(
            repository_id=pull_request.repository_id,
            pull_request=pull_request,
            head_sha=head_sha,
            **pull_request_file_fields(item),
        )
        for item in items
    ]
    with transaction.atomic():
        PullRequestFile.objects.filter(pull_request=pull_request, head_sha=head_sha).exclude(
            path__in=[row.path for row in rows]
        ).delete()
        PullRequestFile.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["pull_request", "head_sha", "path"],
            update_fields=[
                "previous_path",
                "status",
                "additions",
                "deletions",
                "changes",
                "patch_truncated",
                "channel",
                "channel_rules_version",
            ],
        )
    return len(rows)


def pull_request_commits_replace(*, pull_request: PullRequest, items: list[dict]) -> list[Commit]:
    """The commits of `pull_request` (REST `GET /pulls/{n}/commits`, oldest first) are
    stored as Commit rows and listed, in order, as the pull request's commits."""
    from ingestion.services.commits import commits_upsert

    repository = pull_request.repository
    with transaction.atomic():
        commits = commits_upsert(repository=repository, items=items, source=Commit.Source.API)
        PullRequestCommit.objects.filter(pull_request=pull_request).exclude(
            sha__in=[commit.sha for commit in commits]
        ).delete()
        PullRequestCommit.objects.bulk_create(
            [
                PullRequestCommit(
                    repository=repository, pull_request=pull_request, sha=commit.sha, position=position, commit=commit
                )
                for position, commit in enumerate(commits)
            ],
            update_conflicts=True,
            unique_fields=["pull_request", "sha"],
            update_fields=["position", "commit"],
        )
    return commits
