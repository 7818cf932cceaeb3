from __future__ import annotations

from django.db import transaction

from ingestion import signals
from ingestion.core.normalize import commit_fields, commit_file_fields
from ingestion.models import Commit, CommitFile, Repository
from ingestion.services.rows import announce, row_upsert

#: what a push payload may fill in on a commit already known with full stats
_PUSH_FILLABLE = ("author_login", "committer_login")


def commits_upsert(*, repository: Repository, items: list[dict], source: str = Commit.Source.API) -> list[Commit]:
    """Store commits from GitHub JSON (REST commits or push payload commits), in order.
    A push payload knows no line counts, so it never overwrites a commit already stored
    with full stats. One `commits_ingested` signal lists the commits that are new."""
    stored: list[Commit] = []
    created_ids: list[int] = []
    with transaction.atomic():
        for item in items:
            fields = commit_fields(item)
            sha = fields.pop("sha")
            fields["source"] = source
            existing = Commit.objects.select_for_update(no_key=True).filter(repository=repository, sha=sha).first()
            if existing is not None and existing.stats_complete and not fields["stats_complete"]:
                fields = {
                    name: fields[name] for name in _PUSH_FILLABLE if fields.get(name) and not getattr(existing, name)
                }
            result = row_upsert(Commit, lookup={"repository_id": repository.pk, "sha": sha}, fields=fields)
            if isinstance(item.get("files"), list) and "commit" in item:
                _files_replace(result.row, item["files"])
            if result.created:
                created_ids.append(result.row.pk)
            stored.append(result.row)
    if created_ids:
        announce(signals.commits_ingested, sender=Commit, repository_id=repository.pk, commit_ids=created_ids)
    return stored


def commit_upsert(*, repository: Repository, data: dict, source: str = Commit.Source.API) -> Commit:
    return commits_upsert(repository=repository, items=[data], source=source)[0]


def _files_replace(commit: Commit, items: list[dict]) -> None:
    CommitFile.objects.filter(commit=commit).delete()
    CommitFile.objects.bulk_create(
        [CommitFile(repository_id=commit.repository_id, commit=commit, **commit_file_fields(item)) for item in items],
        ignore_conflicts=True,
    )
