"""Handlers for installation, repository and push events."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from ingestion import signals
from ingestion.core.normalize import PayloadError
from ingestion.models import Commit, Installation, Repository, WebhookDelivery
from ingestion.services import commits_upsert, installation_upsert, repository_upsert
from ingestion.services.rows import announce
from ingestion.services.webhooks.outcome import Outcome


def payload_part(payload: dict, key: str) -> dict:
    """`payload[key]`, the object the event is about; PayloadError when GitHub's shape is
    not there, so the delivery fails with a sentence rather than a KeyError."""
    part = payload.get(key)
    if not isinstance(part, dict):
        raise PayloadError(f"the payload's {key!r} is {'missing' if part is None else 'not an object'}")
    return part


def payload_list(payload: dict, key: str) -> list:
    """`payload[key]` when it is a list, else nothing (GitHub sends null or leaves it out)."""
    items = payload.get(key)
    return items if isinstance(items, list) else []


def payload_installation(payload: dict) -> Installation | None:
    data = payload.get("installation")
    return installation_upsert(data=data) if isinstance(data, dict) and data.get("id") else None


def payload_repository(payload: dict) -> Repository | None:
    """The payload's repository, stored or refreshed; its organization comes from the
    installation's account (or the owner's login). RepositoryTenantConflict when the
    installation is bound to another organization than the repository's row."""
    data = payload.get("repository")
    if not data:
        return None
    return repository_upsert(data=data, installation=payload_installation(payload))


def payload_repository_required(payload: dict) -> Repository:
    """The repository of an event that is about one (pull requests, issues, checks)."""
    repository = payload_repository(payload)
    if repository is None:
        raise PayloadError("the payload has no 'repository'")
    return repository


def ping(payload: dict, delivery: WebhookDelivery) -> Outcome:
    return Outcome.processed(payload_repository(payload), note=f"zen: {payload.get('zen', '')}"[:200])


def installation(payload: dict, delivery: WebhookDelivery) -> Outcome:
    action = delivery.action
    installed = installation_upsert(data=payload_part(payload, "installation"))
    repositories = Repository.objects.filter(installation=installed)
    if action == "deleted":
        Installation.objects.filter(pk=installed.pk).update(deleted_at=timezone.now())
        repositories.update(is_active=False)
    elif action == "suspend":
        repositories.update(monitoring_status=Repository.MonitoringStatus.SUSPENDED)
    elif action == "unsuspend":
        repositories.filter(monitoring_status=Repository.MonitoringStatus.SUSPENDED).update(
            monitoring_status=Repository.MonitoringStatus.ACTIVE
        )
    if action == "created":
        Installation.objects.filter(pk=installed.pk).update(deleted_at=None)
        added = [repository_upsert(data=data, installation=installed)
                 for data in payload_list(payload, "repositories")]
        _installed_announce(installed, added)
        return Outcome.processed(note=f"{len(added)} repositories")
    return Outcome.processed()


def _installed_announce(installed: Installation, repositories: list[Repository]) -> None:
    """Repositories the installation now covers, for their backfill (the workspace starts it
    as a job). Only those the installation's own organization holds: a repository of another
    organization that shares the name was not written, and gets no backfill either."""
    ids = [repository.pk for repository in repositories
           if installed.organization_id and repository.organization_id == installed.organization_id]
    if ids:
        announce(signals.repositories_installed, sender=Installation, installation_id=installed.pk,
                 repository_ids=ids)


def installation_repositories(payload: dict, delivery: WebhookDelivery) -> Outcome:
    installed = installation_upsert(data=payload_part(payload, "installation"))
    added = []
    for data in payload_list(payload, "repositories_added"):
        repository = repository_upsert(data=data, installation=installed)
        if not repository.is_active:
            Repository.objects.filter(pk=repository.pk).update(is_active=True)
        added.append(repository)
    _installed_announce(installed, added)
    removed = [data.get("id") for data in payload_list(payload, "repositories_removed") if isinstance(data, dict)]
    removed = [github_id for github_id in removed if isinstance(github_id, int) and abs(github_id) < 2**63]
    # Only rows of the installation's own organization: an id alone reaches no other tenant.
    own = Q(installation=installed)
    if installed.organization_id:
        own |= Q(organization_id=installed.organization_id)
    Repository.objects.filter(own, github_id__in=removed).update(is_active=False)
    return Outcome.processed()


def repository(payload: dict, delivery: WebhookDelivery) -> Outcome:
    stored = payload_repository(payload)
    if delivery.action == "deleted" and stored is not None:
        Repository.objects.filter(pk=stored.pk).update(is_active=False)
    return Outcome.processed(stored)


def push(payload: dict, delivery: WebhookDelivery) -> Outcome:
    """Commits of a branch push, with GitHub's file lists but no line counts (a clone or
    the REST backfill completes them). Deleted refs and tag pushes add no commits."""
    stored = payload_repository(payload)
    if stored is None:
        return Outcome.skipped("push without repository")
    commits = payload_list(payload, "commits")
    if payload.get("deleted") or not commits:
        return Outcome.processed(stored, note="no commits")
    commits_upsert(repository=stored, items=commits, source=Commit.Source.WEBHOOK)
    return Outcome.processed(stored, note=f"{len(commits)} commits")
