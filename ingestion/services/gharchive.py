"""GH Archive import: hourly `.json.gz` dumps of GitHub's public event stream, read line
by line, events of tracked repositories (or all of them) stored through the same
upserts as webhooks and the REST backfill. An event id is imported once: ArchiveEvent
rows remember them, written in the same transaction as the event's rows.

GH Archive payloads are the Events API's: close to webhook payloads, without the
`repository` object (the event's `repo` is {id, name, url}). Since October 2025 GitHub
trims some of them (pull requests without title or state, pushes without commits);
those carry too little to store and are counted as `trimmed`."""

from __future__ import annotations

import gzip
import json
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DataError, IntegrityError, transaction

from ingestion.core.normalize.common import PayloadError, timestamp
from ingestion.models import ArchiveEvent, Comment, Commit, PullRequest, Repository
from ingestion.services import (
    RepositoryTenantConflict,
    UpsertRefused,
    comment_upsert,
    commits_upsert,
    issue_upsert,
    pull_request_upsert,
    repository_upsert,
    review_upsert,
)

BATCH = 500


MAX_REPORTED_ERRORS = 20


class ArchiveFormatError(ValueError):
    """A line of the dump is not a GitHub event."""


@dataclass
class ImportStats:
    events: int = 0
    kept: int = 0
    imported: int = 0
    duplicates: int = 0
    trimmed: int = 0
    #: event types we do not store (WatchEvent, ForkEvent, ...)
    ignored: int = 0
    #: events of repositories nobody tracks (without `everything`)
    untracked: int = 0
    #: events whose payload could not be stored (bad shape); the import goes on without them
    rejected: int = 0
    #: events naming a row (by GitHub id) of another repository: nothing of them was stored
    refused: int = 0
    errors: list[str] = field(default_factory=list)
    by_type: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {
            "events": self.events, "kept": self.kept, "imported": self.imported, "duplicates": self.duplicates,
            "trimmed": self.trimmed, "ignored": self.ignored, "untracked": self.untracked,
            "rejected": self.rejected, "refused": self.refused, "errors": self.errors,
            "by_type": dict(self.by_type),
        }


def archive_events(path: Path) -> Iterator[dict]:
    """The events of one dump, streamed (a dump is ~100 MB uncompressed)."""
    opener = gzip.open if path.suffix == ".gz" else open
    number = 0
    try:
        with opener(path, "rt", encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    yield _event(path, number, line)
    except (UnicodeDecodeError, OSError, EOFError, zlib.error) as exc:
        raise ArchiveFormatError(f"{path}:{number + 1}: not a UTF-8 JSON lines dump ({exc})") from exc


def _event(path: Path, number: int, line: str) -> dict:
    try:
        event = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ArchiveFormatError(f"{path}:{number}: not JSON ({exc.msg})") from exc
    except RecursionError as exc:
        raise ArchiveFormatError(f"{path}:{number}: JSON nested too deeply") from exc
    if not isinstance(event, dict) or not isinstance(event.get("type"), str) or not _is_event_id(event.get("id")):
        raise ArchiveFormatError(f"{path}:{number}: not a GitHub event")
    return event


def _is_event_id(value: object) -> bool:
    """GitHub event ids: digits (a string in the Events API), within PostgreSQL's bigint."""
    digits = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    return digits.isascii() and digits.isdigit() and int(digits) < 2**63


def _object(value: object) -> dict:
    """A part of a payload that should be an object; anything else counts as absent."""
    return value if isinstance(value, dict) else {}


class RepositoryIndex:
    """Tracked repositories by GitHub id and by full name; with `everything`, unknown
    repositories are created (their organization is the owner's login). A name finds a
    tracked row only while that row has no GitHub id or the event's: an old event of a name
    GitHub has since given to another repository is not that repository's."""

    def __init__(self, *, everything: bool) -> None:
        self.everything = everything
        self.by_id: dict[int, Repository] = {}
        self.by_name: dict[str, Repository] = {}
        for repository in Repository.objects.filter(is_active=True):
            self._remember(repository)

    def _remember(self, repository: Repository) -> None:
        if repository.github_id:
            self.by_id[repository.github_id] = repository
        self.by_name[repository.full_name.lower()] = repository

    def find(self, repo: dict) -> Repository | None:
        github_id = repo.get("id") if isinstance(repo.get("id"), int) else None
        found = self.by_id.get(github_id) if github_id is not None else None
        if found is None:
            named = self.by_name.get(str(repo.get("name", "")).lower())
            found = named if named is not None and named.github_id in (None, github_id) else None
        if found is None and not self.everything:
            return None
        if found is None or not found.github_id:
            # A tracked row without a GitHub id is adopted within its own organization only.
            found = repository_upsert(data=repo, organization=found.organization if found else None)
            self._remember(found)
        return found


def _pull_request(repository: Repository, payload: dict, action: str | None = None) -> PullRequest | None:
    data = _object(payload.get("pull_request"))
    if "state" not in data or "title" not in data:
        return None
    return pull_request_upsert(repository=repository, data=data, action=action)


def _pull_request_event(repository: Repository, payload: dict) -> bool:
    return _pull_request(repository, payload, action=payload.get("action")) is not None


def _review_event(repository: Repository, payload: dict) -> bool:
    stored = _pull_request(repository, payload)
    if stored is None or not payload.get("review"):
        return False
    review_upsert(pull_request=stored, data=payload["review"])
    return True


def _review_comment_event(repository: Repository, payload: dict) -> bool:
    stored = _pull_request(repository, payload)
    if stored is None or not payload.get("comment"):
        return False
    comment_upsert(repository=repository, data=payload["comment"], kind=Comment.Kind.REVIEW, pull_request=stored)
    return True


def _issues_event(repository: Repository, payload: dict) -> bool:
    if "title" not in _object(payload.get("issue")):
        return False
    issue_upsert(repository=repository, data=payload["issue"])
    return True


def _issue_comment_event(repository: Repository, payload: dict) -> bool:
    if "title" not in _object(payload.get("issue")) or not payload.get("comment"):
        return False
    issue = issue_upsert(repository=repository, data=payload["issue"])
    pull_request = (
        PullRequest.objects.filter(repository=repository, number=issue.number).first()
        if issue.is_pull_request else None
    )
    kind = Comment.Kind.PULL_REQUEST if issue.is_pull_request else Comment.Kind.ISSUE
    comment_upsert(repository=repository, data=payload["comment"], kind=kind, issue=issue, pull_request=pull_request)
    return True


def _push_event(repository: Repository, payload: dict) -> bool:
    commits = payload.get("commits")
    if not commits or not isinstance(commits, list):
        return False
    # The Events API names a pushed commit's id `sha`; the push-commit shape the
    # normaliser reads (the webhook's) names it `id`.
    items = [
        {**commit, "id": commit.get("id") or commit.get("sha")}
        for commit in map(_object, commits)
        if commit.get("distinct", True)
    ]
    commits_upsert(repository=repository, items=items, source=Commit.Source.ARCHIVE)
    return True


EVENT_HANDLERS: dict[str, Callable[[Repository, dict], bool]] = {
    "PullRequestEvent": _pull_request_event,
    "PullRequestReviewEvent": _review_event,
    "PullRequestReviewCommentEvent": _review_comment_event,
    "IssuesEvent": _issues_event,
    "IssueCommentEvent": _issue_comment_event,
    "PushEvent": _push_event,
}


def _batches(events: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for event in events:
        batch.append(event)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def archive_import(
    events: Iterable[dict],
    *,
    everything: bool = False,
    on_event: Callable[[], None] | None = None,
) -> ImportStats:
    """Import `events` (GH Archive event dicts). Events of untracked repositories are
    skipped unless `everything`; events already imported are counted as duplicates."""
    stats = ImportStats()
    index = RepositoryIndex(everything=everything)
    for batch in _batches(events, BATCH):
        seen = set(
            ArchiveEvent.objects.filter(github_id__in=[int(e["id"]) for e in batch]).values_list("github_id", flat=True)
        )
        for event in batch:
            stats.events += 1
            if on_event:
                on_event()
            _import_one(event, index, seen, stats)
    return stats


def _import_one(event: dict, index: RepositoryIndex, seen: set[int], stats: ImportStats) -> None:
    handler = EVENT_HANDLERS.get(event["type"])
    if handler is None:
        stats.ignored += 1
        return
    event_id = int(event["id"])
    if event_id in seen:
        stats.duplicates += 1
        return
    try:
        stored = _store(event, event_id, handler, index, stats)
    except (PayloadError, DataError, RepositoryTenantConflict) as exc:
        # One malformed event must not cost the rest of the hour: its rows were rolled back,
        # it is counted and named, and a later import (after a fix) can still take it.
        if isinstance(exc, UpsertRefused | RepositoryTenantConflict):
            stats.refused += 1
        else:
            stats.rejected += 1
        if len(stats.errors) < MAX_REPORTED_ERRORS:
            stats.errors.append(f"event {event_id} ({event['type']}): {exc}"[:1000])
        return
    if stored is None:
        return
    seen.add(event_id)
    if stored:
        stats.imported += 1
        stats.by_type[event["type"]] += 1
    else:
        stats.trimmed += 1


def _store(
    event: dict, event_id: int, handler: Callable[[Repository, dict], bool], index: RepositoryIndex, stats: ImportStats
) -> bool | None:
    """Store one event with its ArchiveEvent row, in one transaction: whether its payload
    held enough to store; None when it is not ours to store (untracked, or a duplicate)."""
    repo = _object(event.get("repo"))
    repository = index.find(repo)
    if repository is None:
        stats.untracked += 1
        return None
    with transaction.atomic():
        try:
            with transaction.atomic():
                ArchiveEvent.objects.create(
                    github_id=event_id, event_type=event["type"], repository=repository,
                    repository_full_name=str(repo.get("name", ""))[:512],
                    created_at=timestamp(event.get("created_at")),
                )
        except IntegrityError:
            # Another import stored this event id between our look-up and our insert.
            stats.duplicates += 1
            return None
        stored = handler(repository, _object(event.get("payload")))
        stats.kept += 1
        return stored
