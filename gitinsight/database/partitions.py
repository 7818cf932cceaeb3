"""Tables partitioned by UTC month (PARTITION BY RANGE on a timestamp column): the audit
log and pull request state history.

Each partition holds one calendar month and is named `<table>_yYYYYmMM`. Rows for a month
without a partition land in `<table>_default`, so an insert never fails;
`partitions_ensure` (a daily schedule, and the migrations that partition a table) creates
the coming months ahead of time and moves such stray rows into their own month. Upkeep
creates and drops tables, so it runs as the owner role (gitinsight.database.owner.as_owner):
the runtime role can do none of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from gitinsight.database.owner import as_owner, owner_role


class PartitionError(RuntimeError):
    """A partition operation was asked for something it must not do."""


@dataclass(frozen=True)
class MonthlyTable:
    """A table partitioned by month on `key`. `append_only_trigger` names a row trigger that
    refuses deletes (it is turned off on the default partition, as the owner, for the one
    DELETE that moves stray rows out); `lock_key` keeps a scheduled run and a migration
    from creating the same month twice."""

    parent: str
    lock_key: int
    key: str = "created_at"
    append_only_trigger: str | None = None

    @property
    def default_partition(self) -> str:
        return f"{self.parent}_default"

    def partition_name(self, month: date) -> str:
        return f"{self.parent}_y{month.year:04d}m{month.month:02d}"

    def partition_month(self, name: str) -> date | None:
        """The month a monthly partition holds, or None for any other table (the default)."""
        match = re.match(rf"^{re.escape(self.parent)}_y(\d{{4}})m(\d{{2}})$", name)
        return date(int(match[1]), int(match[2]), 1) if match else None


def month_start(moment: date | datetime) -> date:
    """The first day of the UTC month containing `moment`."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(UTC)
    return date(moment.year, moment.month, 1)


def months_after(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _bounds(month: date) -> tuple[str, str]:
    # Literals with an explicit UTC offset, so a partition's range does not depend on the
    # session's TimeZone setting.
    return f"{month:%Y-%m-%d} 00:00:00+00", f"{months_after(month, 1):%Y-%m-%d} 00:00:00+00"


def partitions(table: MonthlyTable) -> list[str]:
    """Names of the tables attached to `table`, the default partition included, sorted."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT child.relname FROM pg_inherits JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
            "WHERE pg_inherits.inhparent = %s::regclass ORDER BY child.relname",
            [table.parent],
        )
        return [name for (name,) in cursor.fetchall()]


def months_in_default(table: MonthlyTable) -> list[date]:
    """Months that have rows in the default partition, i.e. rows waiting for their partition."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', {table.key} AT TIME ZONE 'UTC')::date "  # noqa: S608
            f"FROM {table.default_partition} ORDER BY 1"
        )
        return [month for (month,) in cursor.fetchall()]


def partition_create(table: MonthlyTable, *, month: date) -> bool:
    """Create the partition for `month`, moving any rows of that month out of the default
    partition. Returns False when it already exists. While it creates one it holds an
    exclusive lock on the table: reads and inserts wait (briefly) until commit."""
    with as_owner():
        return _partition_create(table, month=month_start(month))


def _partition_create(table: MonthlyTable, *, month: date) -> bool:
    name = table.partition_name(month)
    lower, upper = _bounds(month)
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [table.lock_key])
        if name in partitions(table):
            return False
        # CREATE TABLE ... PARTITION OF takes this lock anyway; taking it first makes
        # "look into the default partition, empty that month, create" one step that no
        # concurrent insert can slip into, and avoids a lock upgrade (deadlock) midway.
        cursor.execute(f"LOCK TABLE {table.parent} IN ACCESS EXCLUSIVE MODE")
        in_range = f"{table.key} >= '{lower}' AND {table.key} < '{upper}'"
        cursor.execute(f"SELECT count(*) FROM {table.default_partition} WHERE {in_range}")  # noqa: S608
        (stray,) = cursor.fetchone()
        moving = f"{table.parent}_moving"
        if stray:
            # Postgres refuses to create a partition while the default holds rows of its
            # range, so set them aside and delete them first. An append-only trigger forbids
            # that delete: it is disabled on the default partition only, only within this
            # transaction (a failure rolls the disable back too), by the owner (the runtime
            # role cannot), and the table lock keeps every other session from writing
            # meanwhile. The rows are put back unchanged below, ids included.
            cursor.execute(
                f"CREATE TEMP TABLE {moving} ON COMMIT DROP AS "  # noqa: S608
                f"SELECT * FROM {table.default_partition} WHERE {in_range}"
            )
            # ALTER TABLE refuses while the deferred foreign-key checks of rows inserted
            # earlier in this transaction are pending (a migration, a test): run them now.
            connection.check_constraints()
            trigger = table.append_only_trigger
            if trigger:
                cursor.execute(f"ALTER TABLE {table.default_partition} DISABLE TRIGGER {trigger}")
            cursor.execute(f"DELETE FROM {table.default_partition} WHERE {in_range}")  # noqa: S608
            if trigger:
                cursor.execute(f"ALTER TABLE {table.default_partition} ENABLE TRIGGER {trigger}")
        cursor.execute(
            f"CREATE TABLE {quote(name)} PARTITION OF {table.parent} FOR VALUES FROM ('{lower}') TO ('{upper}')"
        )
        if stray:
            cursor.execute(f"INSERT INTO {table.parent} SELECT * FROM {moving}")  # noqa: S608
            # Dropped now rather than on commit: inside a migration several months are
            # created in one outer transaction.
            cursor.execute(f"DROP TABLE {moving}")
        _runtime_privileges_restore(cursor, table)
    return True


def _runtime_privileges_restore(cursor, table: MonthlyTable) -> None:
    """A new partition gets the runtime role's default privileges; the audit log's must not."""
    from gitinsight.database.roles import AUDIT_TABLE, audit_privileges_restrict

    if table.parent == AUDIT_TABLE and owner_role() is not None:
        audit_privileges_restrict(cursor, runtime=settings.DATABASE_RUNTIME_USER)


def partitions_ensure(table: MonthlyTable, *, months_ahead: int = 3, now: datetime | None = None) -> list[str]:
    """Create the partitions of the current month and the next `months_ahead` months, and
    of any month whose rows wait in the default partition. Idempotent; returns the names
    of the partitions it created."""
    with as_owner():
        current = month_start(now or timezone.now())
        wanted = {months_after(current, offset) for offset in range(months_ahead + 1)}
        wanted.update(months_in_default(table))
        return [table.partition_name(month) for month in sorted(wanted) if _partition_create(table, month=month)]


def partitions_drop_expired(table: MonthlyTable, *, keep_months: int, now: datetime | None = None) -> list[str]:
    """Drop the monthly partitions that ended more than `keep_months` months before the
    current month began; returns their names. Dropping a partition removes its rows for
    good: only call this when an operator configured a retention period."""
    if keep_months < 1:
        raise PartitionError("Retention must keep at least one month.")
    oldest_kept = months_after(month_start(now or timezone.now()), -keep_months)
    with as_owner():
        expired = [
            name for name in partitions(table)
            if (month := table.partition_month(name)) is not None and month < oldest_kept
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            if expired:
                connection.check_constraints()  # DROP refuses while deferred checks of new rows are pending
            for name in expired:
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(name)}")
    return expired
