"""One list endpoint of one repository, read incrementally and resumably.

Each page is stored in its own transaction together with the cursor that points at the
next page, so a crash loses at most the page in flight and a re-run continues from the
saved `next_url`. A completed pass sets `since` to the time the pass started (items
changed while it ran are read again next time) and keeps the first page's ETag, so an
unchanged listing costs one 304 that GitHub does not count against the rate limit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ingestion.core.normalize.common import timestamp
from ingestion.models import Repository, SyncCursor
from ingestion.services.github_api.client import GitHubClient

#: GitHub's clock and ours differ, and `updated_at` is written before the row is
#: visible: read a little before the watermark (upserts make the overlap harmless).
OVERLAP = timedelta(minutes=5)


def iso_since(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Listing:
    resource: str
    path: str
    #: stores one page of items (called inside the page's transaction)
    store_page: Callable[[list[dict]], None]
    params: dict[str, Any] = field(default_factory=dict)
    #: query parameter that filters server-side by the watermark, and how to write it
    since_param: str | None = None
    since_format: Callable[[datetime], str] = iso_since
    #: for listings sorted newest-updated first without a server-side filter (pulls):
    #: the item's update time; the listing stops at the first item older than `since`
    updated_of: Callable[[dict], Any] | None = None
    wrap: str | None = None


@dataclass
class ListingResult:
    stored: int = 0
    pages: int = 0
    not_modified: bool = False
    resumed: bool = False


def listing_sync(
    client: GitHubClient,
    repository: Repository,
    listing: Listing,
    *,
    on_items: Callable[[int], None] | None = None,
) -> ListingResult:
    cursor, _ = SyncCursor.objects.get_or_create(repository=repository, resource=listing.resource)
    state = dict(cursor.cursor or {})
    result = ListingResult(resumed=bool(state.get("next_url")))
    if result.resumed:
        started_at = datetime.fromisoformat(state["started_at"])
        pages = client.pages(listing.path, wrap=listing.wrap, start_url=state["next_url"])
    else:
        started_at = timezone.now()
        state = {"started_at": started_at.isoformat(), "etag": ""}
        params = dict(listing.params)
        if listing.since_param and cursor.since:
            params[listing.since_param] = listing.since_format(cursor.since - OVERLAP)
        pages = client.pages(listing.path, params=params, wrap=listing.wrap, etag=cursor.etag)
    watermark = cursor.since - OVERLAP if cursor.since else None

    for page in pages:
        result.pages += 1
        if page.not_modified:
            result.not_modified = True
            break
        items, stop = _until_watermark(page.data, listing, watermark)
        with transaction.atomic():
            listing.store_page(items)
            if result.pages == 1 and not result.resumed:
                state["etag"] = page.etag
            state["next_url"] = None if stop else page.next_url
            cursor.cursor = state
            cursor.error = ""
            cursor.save(update_fields=["cursor", "error", "updated_at"])
        result.stored += len(items)
        if on_items:
            on_items(len(items))
        if stop:
            break

    cursor.since = started_at
    cursor.etag = state.get("etag") or cursor.etag
    cursor.cursor = {}
    cursor.completed_at = timezone.now()
    cursor.save(update_fields=["since", "etag", "cursor", "completed_at", "updated_at"])
    return result


def _until_watermark(items: list[dict], listing: Listing, watermark: datetime | None) -> tuple[list[dict], bool]:
    if listing.updated_of is None or watermark is None:
        return items, False
    kept = []
    for item in items:
        updated = timestamp(listing.updated_of(item))
        if updated is not None and updated < watermark:
            return kept, True
        kept.append(item)
    return kept, False


def cursor_error(repository: Repository, resource: str, message: str) -> None:
    """Note why a listing stopped; its saved next page stays for the resume."""
    SyncCursor.objects.filter(repository=repository, resource=resource).update(
        error=message[:2000], updated_at=timezone.now()
    )
