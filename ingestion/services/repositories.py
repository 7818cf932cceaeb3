from __future__ import annotations

from django.db import transaction

from gitinsight.models import Organization
from ingestion.core.normalize import installation_fields, repository_fields
from ingestion.models import Installation, Repository
from ingestion.services.rows import row_upsert


def organization_for_login(login: str) -> Organization:
    """The tenant of a GitHub account: created on first sight, matched by login."""
    organization, _ = Organization.objects.get_or_create(login=login, defaults={"name": login})
    return organization


def installation_upsert(*, data: dict) -> Installation:
    fields = installation_fields(data)
    github_id = fields.pop("github_id")
    if fields.get("account_login"):
        fields["organization_id"] = organization_for_login(fields["account_login"]).pk
    return row_upsert(Installation, lookup={"github_id": github_id}, fields=fields).row


def repository_upsert(
    *, data: dict, organization: Organization | None = None, installation: Installation | None = None
) -> Repository:
    """Store a repository from GitHub JSON. A new row belongs to `organization`, else to the
    installation's organization, else to the organization named like the owner. A local
    clone stored earlier without a GitHub id is adopted by matching its full name."""
    fields = repository_fields(data)
    github_id = fields.pop("github_id")
    if installation is not None:
        fields["installation_id"] = installation.pk
    if organization is not None:
        fields["organization_id"] = organization.pk
    with transaction.atomic():
        orphan = (
            Repository.objects.select_for_update(no_key=True)
            .filter(github_id__isnull=True, full_name__iexact=fields["full_name"])
            .first()
        )
        if orphan is not None and not Repository.objects.filter(github_id=github_id).exists():
            orphan.github_id = github_id
            orphan.save(update_fields=["github_id", "updated_at"])
        _release_name(fields["full_name"], taken_by=github_id)
        if not Repository.objects.filter(github_id=github_id).exists() and "organization_id" not in fields:
            owner_org = installation.organization if installation and installation.organization_id else None
            fields["organization_id"] = (owner_org or organization_for_login(fields["owner"])).pk
        return row_upsert(Repository, lookup={"github_id": github_id}, fields=fields).row


def _release_name(full_name: str, *, taken_by: int) -> None:
    """GitHub now gives `full_name` to repository `taken_by`; a row that still holds the
    name (renamed, transferred or deleted on GitHub since) keeps its history under a
    suffixed name, inactive, until a refresh by its own id tells its new name."""
    holders = (
        Repository.objects.select_for_update(no_key=True)
        .filter(full_name__iexact=full_name)
        .exclude(github_id=taken_by)
    )
    for holder in holders.exclude(github_id__isnull=True):
        suffix = f"~{holder.github_id}"
        holder.full_name = f"{holder.full_name}{suffix}"
        holder.name = f"{holder.name}{suffix}"
        holder.is_active = False
        holder.metadata = {**holder.metadata, "name_taken_by_github_id": taken_by}
        holder.save(update_fields=["full_name", "name", "is_active", "metadata", "updated_at"])
