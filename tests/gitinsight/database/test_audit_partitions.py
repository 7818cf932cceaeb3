import re
from datetime import UTC, datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_q.tasks import async_task, result

from gitinsight.database.audit_partitions import (
    AuditPartitionError,
    audit_partitions,
    audit_partitions_drop_expired,
    audit_partitions_ensure,
    month_start,
    months_after,
    partition_name,
)
from gitinsight.models import AuditLog, User
from gitinsight.services.audit import audit_record

# Partition upkeep is the owner role's work (the runtime role may not create or drop tables).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("owner_connection")]

FAR_MONTH = datetime(2031, 5, 3, 12, 0, tzinfo=UTC)  # no partition exists for it


def insert_row(*, at: datetime, user: User | None = None, resource_id: str = "1") -> int:
    """An audit row stamped `at`; the model always stamps now, hence SQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_logs (action, resource_type, resource_id, details, user_agent, created_at, user_id) "
            "VALUES ('test.action', 'thing', %s, '{}', '', %s, %s) RETURNING id",
            [resource_id, at, user.pk if user else None],
        )
        return cursor.fetchone()[0]


def partition_of(row_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM audit_logs WHERE id = %s", [row_id])
        return cursor.fetchone()[0]


def partitions_read_by(plan: str) -> set[str]:
    return set(re.findall(r" on (audit_logs_y\d{4}m\d{2}|audit_logs_default)\b", plan))


def migrate_gitinsight_to(name: str) -> None:
    MigrationExecutor(connection).migrate([("gitinsight", name)])


def test_rows_land_in_the_partition_of_their_month(alice):
    this_month = month_start(timezone.now())
    next_month = months_after(this_month, 1)
    recorded = audit_record(user=alice, action="test.action", resource_type="thing", resource_id=1)
    later = insert_row(at=datetime(next_month.year, next_month.month, 2, tzinfo=UTC))
    assert partition_of(recorded.pk) == partition_name(this_month)
    assert partition_of(later) == partition_name(next_month)


def test_migrate_created_this_month_and_the_three_next():
    this_month = month_start(timezone.now())
    expected = {partition_name(months_after(this_month, offset)) for offset in range(4)}
    assert expected <= set(audit_partitions())
    assert "audit_logs_default" in audit_partitions()


def test_ensure_creates_the_coming_months_once():
    now = datetime(2031, 1, 15, tzinfo=UTC)
    created = audit_partitions_ensure(months_ahead=3, now=now)
    assert created == ["audit_logs_y2031m01", "audit_logs_y2031m02", "audit_logs_y2031m03", "audit_logs_y2031m04"]
    partitions = audit_partitions()
    assert audit_partitions_ensure(months_ahead=3, now=now) == []
    assert audit_partitions() == partitions


def test_a_row_without_its_partition_waits_in_default_until_ensure_moves_it(alice):
    row_id = insert_row(at=FAR_MONTH, user=alice)
    assert partition_of(row_id) == "audit_logs_default"
    assert "audit_logs_y2031m05" in audit_partitions_ensure()
    assert partition_of(row_id) == "audit_logs_y2031m05"
    moved = AuditLog.objects.get(pk=row_id)
    assert (moved.user, moved.created_at, moved.action) == (alice, FAR_MONTH, "test.action")


def test_no_partition_accepts_updates_or_deletes(alice):
    current = audit_record(user=alice, action="test.action", resource_type="thing", resource_id=1).pk
    moved = insert_row(at=FAR_MONTH)
    audit_partitions_ensure()
    # ensure turns the trigger off on the default partition for its move: it must be back on
    waiting = insert_row(at=datetime(2032, 1, 1, tzinfo=UTC))
    assert partition_of(waiting) == "audit_logs_default"
    for row_id in (current, moved, waiting):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditLog.objects.filter(pk=row_id).update(action="rewritten")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditLog.objects.filter(pk=row_id).delete()


@pytest.fixture
def busy_month(alice) -> tuple[datetime, datetime, list[User]]:
    """20,000 rows over this month and the next, from 40 users and 2,000 resources."""
    users = User.objects.bulk_create([User(username=f"user{number}") for number in range(40)])
    this_month = month_start(timezone.now())
    start = datetime(this_month.year, this_month.month, 1, tzinfo=UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_logs (action, resource_type, resource_id, details, user_agent, created_at, user_id) "
            "SELECT 'test.action', 'thing', (g %% 2000)::text, '{}', '', %s + g * interval '3 minutes', "
            "(%s::bigint[])[1 + g %% 40] FROM generate_series(0, 19999) AS g",
            [start, [user.pk for user in users]],
        )
        cursor.execute("ANALYZE audit_logs")
    next_month = months_after(this_month, 1)
    return start, datetime(next_month.year, next_month.month, 1, tzinfo=UTC), users


def test_a_users_audit_trail_of_a_month_is_read_through_an_index_of_that_month(busy_month):
    start, end, users = busy_month
    plan = AuditLog.objects.filter(user=users[7], created_at__gte=start, created_at__lt=end).explain()
    assert "Index" in plan and "Seq Scan" not in plan
    assert partitions_read_by(plan) == {partition_name(start.date())}


def test_a_resources_audit_trail_of_a_month_is_read_through_an_index_of_that_month(busy_month):
    start, end, _ = busy_month
    trail = AuditLog.objects.filter(resource_type="thing", resource_id="42", created_at__gte=start, created_at__lt=end)
    plan = trail.explain()
    assert "Index" in plan and "Seq Scan" not in plan
    assert partitions_read_by(plan) == {partition_name(start.date())}


def test_partitions_past_retention_are_dropped():
    audit_partitions_ensure(months_ahead=3, now=datetime(2031, 1, 15, tzinfo=UTC))
    dropped = audit_partitions_drop_expired(keep_months=2, now=datetime(2031, 4, 10, tzinfo=UTC))
    assert "audit_logs_y2031m01" not in audit_partitions()
    assert "audit_logs_y2031m01" in dropped and partition_name(month_start(timezone.now())) in dropped
    assert {"audit_logs_y2031m02", "audit_logs_y2031m03", "audit_logs_default"} <= set(audit_partitions())


def test_retention_keeps_at_least_one_month():
    with pytest.raises(AuditPartitionError):
        audit_partitions_drop_expired(keep_months=0)


def test_the_daily_task_creates_missing_partitions_and_drops_nothing_by_default():
    insert_row(at=FAR_MONTH)
    task_id = async_task("gitinsight.tasks.audit_partitions_maintain")
    assert result(task_id) == {"created": ["audit_logs_y2031m05"], "dropped": []}


def test_migrating_a_filled_audit_table_keeps_its_rows_and_ids_counting_on():
    # Runs inside the test's transaction: Postgres rolls the DDL back with everything else.
    alice = User.objects.create_user(username="alice")  # with the columns of today's users table
    migrate_gitinsight_to("0002_audit_logs_append_only")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_logs (action, resource_type, resource_id, details, user_agent, created_at, user_id) "
            "VALUES ('old.action', 'thing', '1', '{}', '', '2026-08-15 12:00+00', %s), "
            "('old.action', 'thing', '2', '{}', '', '2031-05-03 12:00+00', NULL) RETURNING id",
            [alice.pk],
        )
        august, may = (row_id for (row_id,) in cursor.fetchall())
        cursor.execute("SELECT setval(pg_get_serial_sequence('audit_logs', 'id'), 500)")
    connection.check_constraints()  # as a commit would; ALTER TABLE refuses pending foreign-key checks
    migrate_gitinsight_to("0003_audit_logs_partitioned")
    assert (partition_of(august), partition_of(may)) == ("audit_logs_y2026m08", "audit_logs_y2031m05")
    assert AuditLog.objects.get(pk=august).user_id == alice.pk
    assert audit_record(user=alice, action="new.action", resource_type="thing").pk == 501
