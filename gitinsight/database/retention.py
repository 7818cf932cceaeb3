"""Old rows leave the database in batches, by age: first written to a compressed archive
file (one JSON object per row, what `loaddata` reads), then deleted with everything that
cascades from them. The policies live with the data (ingestion, triage); this is how.

A batch is one transaction: a failure leaves that batch in place, and the next run
carries on. An archive file is named by UTC time and is complete once it has lost its
`.partial` suffix.
"""

from __future__ import annotations

import gzip
import os
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import QuerySet
from django.db.models.deletion import Collector

BATCH_SIZE = 2000


class RetentionError(ValueError):
    """A retention period shorter than the data's own use of it; the message says why."""


@dataclass
class RetentionRun:
    label: str
    deleted: dict[str, int] = field(default_factory=dict)
    archive: str = ""

    def as_dict(self) -> dict:
        return {"label": self.label, "deleted": self.deleted, "archive": self.archive}


def retention_days_checked(name: str, *, minimum: int) -> int:
    """The setting `name` (days; 0 keeps rows forever), refused when below `minimum`."""
    days = getattr(settings, name)
    if days and days < minimum:
        raise RetentionError(f"{name} is {days}; it must be 0 (keep forever) or at least {minimum} days.")
    return days


def archive_dir() -> Path | None:
    return Path(settings.RETENTION_ARCHIVE_DIR) if settings.RETENTION_ARCHIVE else None


def rows_expire(queryset: QuerySet, *, label: str, batch_size: int = BATCH_SIZE) -> RetentionRun:
    """Archive (when RETENTION_ARCHIVE is on) and delete the rows of `queryset` and the
    rows that cascade from them, `batch_size` at a time."""
    run = RetentionRun(label=label)
    folder = archive_dir()
    partial = final = None
    if folder is not None:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        final = folder / f"{label}_{datetime.now(UTC):%Y%m%dT%H%M%S}Z.jsonl.gz"
        partial = final.with_name(final.name + ".partial")
    with ExitStack() as stack:
        archive = stack.enter_context(gzip.open(partial, "wt", encoding="utf-8")) if partial else None
        while pks := list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size]):
            with transaction.atomic():
                batch = queryset.model.objects.filter(pk__in=pks)
                collector = Collector(using=DEFAULT_DB_ALIAS, origin=batch)
                collector.collect(batch)
                if archive is not None:
                    for instances in collector.data.values():
                        archive.write(serializers.serialize("jsonl", instances))
                    for fast in collector.fast_deletes:
                        archive.write(serializers.serialize("jsonl", fast))
                _, counts = collector.delete()
                if archive is not None:
                    archive.flush()
            for name, count in counts.items():
                run.deleted[name] = run.deleted.get(name, 0) + count
    if partial is not None:
        if run.deleted:
            partial.chmod(0o600)  # rows hold what the database holds
            os.replace(partial, final)
            run.archive = str(final)
        else:
            partial.unlink(missing_ok=True)
    return run
