"""Repositories and App installations from GitHub JSON, and the rule that keeps tenants
apart: a repository row belongs to one organization, and GitHub data that speaks for another
organization (a delivery of an installation bound elsewhere) never lands in it.

Keeping them apart means seeing every organization's repositories (a name is taken once
across all of them): these services work in row-level security's system scope, whoever calls
them, and write only what their checks allow."""

from __future__ import annotations

from django.db import transaction

from gitinsight.database.tenant_scope import system_scope
from gitinsight.models import Organization
from ingestion.core.normalize import installation_fields, repository_fields
from ingestion.models import Installation, Repository
from ingestion.services.rows import row_upsert


class RepositoryTenantConflict(Exception):
    """GitHub data about a repository speaks for another organization than the row holding
    the repository (or its name), or is not the repository that row asked for. Refused:
    nothing was written."""


def organization_for_login(login: str) -> Organization:
    """The tenant of a GitHub account: created on first sight, matched by login (GitHub
    logins are case-insensitive)."""
    with system_scope():
        found = Organization.objects.filter(login__iexact=login).order_by("pk").first()
        return found or Organization.objects.get_or_create(login=login, defaults={"name": login})[0]


def installation_upsert(*, data: dict) -> Installation:
    """Store an installation from GitHub JSON. It is bound to the organization of its
    account the first time the account is known (installation events carry it); once bound,
    by that or by an operator in the admin, no payload moves it to another organization."""
    fields = installation_fields(data)
    github_id = fields.pop("github_id")
    with transaction.atomic(), system_scope():
        stored = Installation.objects.select_for_update(no_key=True).filter(github_id=github_id).first()
        if (stored is None or stored.organization_id is None) and fields.get("account_login"):
            fields["organization_id"] = organization_for_login(fields["account_login"]).pk
        return row_upsert(Installation, lookup={"github_id": github_id}, fields=fields).row


def repository_upsert(
    *, data: dict, organization: Organization | None = None, installation: Installation | None = None
) -> Repository:
    """Store a repository from GitHub JSON (a webhook's, GH Archive's) by its GitHub id. The
    data speaks for `organization`, else for the organization `installation` is bound to;
    when the row holding the repository belongs to another one, RepositoryTenantConflict.
    A new row belongs to that organization, else to the one named like the owner. A row
    stored without a GitHub id (a clone, a repository connected and not read yet) is adopted
    by its name only when it belongs to that same organization."""
    fields = repository_fields(data)
    github_id = fields.pop("github_id")
    if organization is None and installation is not None and installation.organization_id:
        organization = installation.organization
    with transaction.atomic(), system_scope():
        stored = Repository.objects.select_for_update(no_key=True).filter(github_id=github_id).first()
        if stored is None:
            stored = _adopt(fields, github_id, organization=organization)
        elif organization is not None and stored.organization_id != organization.pk:
            raise RepositoryTenantConflict(
                f"GitHub repository {github_id} ({fields['full_name']}) is stored for another organization "
                f"({stored.organization.login}) than the one this data speaks for ({organization.login}); "
                "nothing was changed"
            )
        _release_name(fields["full_name"], taken_by=github_id)
        if installation is not None and organization is not None and installation.organization_id == organization.pk:
            fields["installation_id"] = installation.pk
        if stored is None:
            fields["organization_id"] = (organization or organization_for_login(fields["owner"])).pk
        return row_upsert(Repository, lookup={"github_id": github_id}, fields=fields).row


def _adopt(fields: dict, github_id: int, *, organization: Organization | None) -> Repository | None:
    """The row holding `fields`' name without a GitHub id, given `github_id`: only when it
    belongs to `organization` (else the organization named like the owner)."""
    orphan = (
        Repository.objects.select_for_update(no_key=True)
        .filter(github_id__isnull=True, full_name__iexact=fields["full_name"])
        .first()
    )
    if orphan is None:
        return None
    speaking_for = organization or Organization.objects.filter(login__iexact=fields["owner"]).first()
    if speaking_for is None or orphan.organization_id != speaking_for.pk:
        raise RepositoryTenantConflict(
            f"{fields['full_name']} is held by a repository of another organization ({orphan.organization.login}) "
            f"that has no GitHub id yet, and this data speaks for "
            f"{speaking_for.login if speaking_for else 'no organization'}; nothing was changed"
        )
    orphan.github_id = github_id
    orphan.save(update_fields=["github_id", "updated_at"])
    return orphan


def repository_refresh(*, repository: Repository, data: dict) -> Repository:
    """Store GitHub's answer to `GET /repos/{full_name}` into `repository` and only into it.
    The answer must be that repository: by name while the row has no GitHub id, by id
    after. RepositoryTenantConflict otherwise, naming no other row."""
    fields = repository_fields(data)
    github_id = fields.pop("github_id")
    with transaction.atomic(), system_scope():
        row = Repository.objects.select_for_update(no_key=True).get(pk=repository.pk)
        if row.github_id is None:
            if fields["full_name"].lower() != row.full_name.lower():
                raise RepositoryTenantConflict(
                    f"GitHub answered with {fields['full_name']} when asked for {row.full_name}; connect "
                    f"{fields['full_name']} instead"
                )
            if Repository.objects.filter(github_id=github_id).exists():
                raise RepositoryTenantConflict(
                    f"{row.full_name} is GitHub repository {github_id}, already stored under another name or for "
                    "another organization; not syncing it into this one"
                )
            row.github_id = github_id
            row.save(update_fields=["github_id", "updated_at"])
        elif row.github_id != github_id:
            raise RepositoryTenantConflict(
                f"{row.full_name} is now GitHub repository {github_id}, not {row.github_id}: the name was given "
                "to another repository"
            )
        _release_name(fields["full_name"], taken_by=github_id)
        return row_upsert(Repository, lookup={"github_id": github_id}, fields=fields).row


def repository_name_release(*, repository: Repository) -> Repository:
    """`repository` (a row without a GitHub id) gives up its name to an organization that
    showed it may read the repository on GitHub; it keeps its data under a suffixed name,
    inactive. The caller holds a lock on the row."""
    _set_aside(repository, suffix=f"~row{repository.pk}", metadata={"name_released": True})
    return repository


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
        _set_aside(holder, suffix=f"~{holder.github_id}", metadata={"name_taken_by_github_id": taken_by})


def _set_aside(holder: Repository, *, suffix: str, metadata: dict) -> None:
    holder.full_name = f"{holder.full_name}{suffix}"
    holder.name = f"{holder.name}{suffix}"
    holder.is_active = False
    holder.metadata = {**holder.metadata, **metadata}
    holder.save(update_fields=["full_name", "name", "is_active", "metadata", "updated_at"])
