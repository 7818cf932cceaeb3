"""Monthly partitions of `audit_logs` (seed 001: PARTITION BY RANGE (created_at)).

Each partition holds one calendar month in UTC and is named like `audit_logs_y2026m11`.
Rows for a month without a partition land in `audit_logs_default`, so recording an audit
row never fails; `audit_partitions_ensure` (daily schedule and migration 0003) creates the
coming months ahead of time and moves such stray rows into their own month.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from django.db import connection, transaction
from django.utils import timezone

PARENT = "audit_logs"
DEFAULT_PARTITION = "audit_logs_default"
APPEND_ONLY_TRIGGER = "audit_logs_append_only"
_NAME = re.compile(r"^audit_logs_y(\d{4})m(\d{2})$")
# Any constant works; it keeps a scheduled run and a migration from creating the same month twice.
_ADVISORY_LOCK_KEY = 0x417564697450  # "AuditP"


class AuditPartitionError(RuntimeError):
    """A partition operation was asked for something it must not do."""


def month_start(moment: date | datetime) -> date:
    """The first day of the UTC month containing `moment`."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(UTC)
    return date(moment.year, moment.month, 1)


def months_after(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"{PARENT}_y{month.year:04d}m{month.month:02d}"


def partition_month(name: str) -> date | None:
    """The month a monthly partition holds, or None for any other table (e.g. the default)."""
    match = _NAME.match(name)
    return date(int(match[1]), int(match[2]), 1) if match else None


def _bounds(month: date) -> tuple[str, str]:
    # Literals with an explicit UTC offset, so a partition's range does not depend on the
    # session's TimeZone setting.
    return f"{month:%Y-%m-%d} 00:00:00+00", f"{months_after(month, 1):%Y-%m-%d} 00:00:00+00"


def audit_partitions() -> list[str]:
    """Names of the tables attached to audit_logs, the default partition included, sorted."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT child.relname FROM pg_inherits JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
            "WHERE pg_inherits.inhparent = %s::regclass ORDER BY child.relname",
            [PARENT],
        )
        return [name for (name,) in cursor.fetchall()]


def audit_months_in_default() -> list[date]:
    """Months that have rows in the default partition, i.e. rows waiting for their partition."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC')::date "  # noqa: S608
            f"FROM {DEFAULT_PARTITION} ORDER BY 1"
        )
        return [month for (month,) in cursor.fetchall()]


def audit_partition_create(*, month: date) -> bool:
    """Create the partition for `month`, moving any rows of that month out of the default
    partition. Returns False when the partition already exists. While it creates one it
    holds an exclusive lock on audit_logs: reads and inserts wait (briefly) until commit."""
    name = partition_name(month_start(month))
    lower, upper = _bounds(month_start(month))
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
        if name in audit_partitions():
            return False
        # CREATE TABLE ... PARTITION OF takes this lock anyway; taking it first makes
        # "look into the default partition, empty that month, create" one step that no
        # concurrent insert can slip into, and avoids a lock upgrade (deadlock) midway.
        cursor.execute(f"LOCK TABLE {PARENT} IN ACCESS EXCLUSIVE MODE")
        in_range = f"created_at >= '{lower}' AND created_at < '{upper}'"
        cursor.execute(f"SELECT count(*) FROM {DEFAULT_PARTITION} WHERE {in_range}")  # noqa: S608
        (stray,) = cursor.fetchone()
        if stray:
            # Postgres refuses to create a partition while the default holds rows of its
            # range, so set them aside and delete them first. The append-only trigger
            # forbids that delete: disable it on the default partition only, only within
            # this transaction (a failure rolls the disable back too), and the table lock
            # keeps every other session from writing meanwhile. The rows are put back
            # unchanged below, ids included.
            cursor.execute(
                f"CREATE TEMP TABLE audit_logs_moving ON COMMIT DROP AS "  # noqa: S608
                f"SELECT * FROM {DEFAULT_PARTITION} WHERE {in_range}"
            )
            # ALTER TABLE refuses while the deferred user foreign-key checks of rows inserted
            # earlier in this transaction are pending (a migration, a test): run them now.
            connection.check_constraints()
            cursor.execute(f"ALTER TABLE {DEFAULT_PARTITION} DISABLE TRIGGER {APPEND_ONLY_TRIGGER}")
            cursor.execute(f"DELETE FROM {DEFAULT_PARTITION} WHERE {in_range}")  # noqa: S608
            cursor.execute(f"ALTER TABLE {DEFAULT_PARTITION} ENABLE TRIGGER {APPEND_ONLY_TRIGGER}")
        cursor.execute(f"CREATE TABLE {quote(name)} PARTITION OF {PARENT} FOR VALUES FROM ('{lower}') TO ('{upper}')")
        if stray:
            cursor.execute(f"INSERT INTO {PARENT} SELECT * FROM audit_logs_moving")  # noqa: S608
            # Dropped now rather than on commit: inside a migration several months are
            # created in one outer transaction.
            cursor.execute("DROP TABLE audit_logs_moving")
    return True


def audit_partitions_ensure(*, months_ahead: int = 3, now: datetime | None = None) -> list[str]:
    """Create the partitions of the current month and the next `months_ahead` months, and
    of any month whose rows wait in the default partition. Idempotent; returns the names
    of the partitions it created."""
    current = month_start(now or timezone.now())
    wanted = {months_after(current, offset) for offset in range(months_ahead + 1)}
    wanted.update(audit_months_in_default())
    return [partition_name(month) for month in sorted(wanted) if audit_partition_create(month=month)]


def audit_partitions_drop_expired(*, keep_months: int, now: datetime | None = None) -> list[str]:
    """Drop the monthly partitions that ended more than `keep_months` months before the
    current month began; returns their names. Dropping a partition removes its audit rows
    for good: only call this when an operator configured a retention period."""
    if keep_months < 1:
        raise AuditPartitionError("Audit retention must keep at least one month.")
    oldest_kept = months_after(month_start(now or timezone.now()), -keep_months)
    expired = [
        name for name in audit_partitions() if (month := partition_month(name)) is not None and month < oldest_kept
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for name in expired:
            cursor.execute(f"DROP TABLE {connection.ops.quote_name(name)}")
    return expired
