"""Pull request state history is partitioned by month like the audit log, with the same
upkeep: rows land in their month, stray months get their partition, expired months go."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_q.tasks import async_task, result

from gitinsight.database.partitions import month_start, partitions, partitions_drop_expired
from ingestion.models import PullRequestStateHistory
from ingestion.services.state_history import PR_STATE_HISTORY
from tests.triage.failures.fixtures import make_pull_request, make_repository

# Creating and dropping partitions is the owner role's work.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("owner_connection")]

FAR_MONTH = datetime(2031, 5, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def pull_request(acme):
    return make_pull_request(make_repository(acme), 1)


def _history(pull_request, *, at: datetime | None = None) -> PullRequestStateHistory:
    row = PullRequestStateHistory.objects.create(
        repository_id=pull_request.repository_id, pull_request=pull_request, new_state="open", trigger_event="opened"
    )
    if at is not None:
        PullRequestStateHistory.objects.filter(pk=row.pk).update(created_at=at)  # moves it to its month
    return row


def _partition_of(row_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM pr_state_history WHERE id = %s", [row_id])
        return cursor.fetchone()[0]


def test_a_change_lands_in_the_partition_of_its_month(pull_request):
    row = _history(pull_request)
    assert _partition_of(row.pk) == PR_STATE_HISTORY.partition_name(month_start(timezone.now()))


def test_the_daily_task_gives_a_waiting_month_its_partition(pull_request):
    row = _history(pull_request, at=FAR_MONTH)
    assert _partition_of(row.pk) == "pr_state_history_default"

    task_id = async_task("ingestion.tasks.state_history_partitions_maintain_task")

    assert result(task_id) == {"created": ["pr_state_history_y2031m05"], "dropped": []}
    assert _partition_of(row.pk) == "pr_state_history_y2031m05"
    assert PullRequestStateHistory.objects.get(pk=row.pk).created_at == FAR_MONTH


def test_months_past_retention_are_dropped_whole(pull_request):
    old = _history(pull_request, at=datetime(2025, 1, 10, tzinfo=UTC))
    async_task("ingestion.tasks.state_history_partitions_maintain_task")
    dropped = partitions_drop_expired(PR_STATE_HISTORY, keep_months=2, now=datetime(2025, 6, 1, tzinfo=UTC))
    assert "pr_state_history_y2025m01" in dropped
    assert not PullRequestStateHistory.objects.filter(pk=old.pk).exists()
    assert "pr_state_history_default" in partitions(PR_STATE_HISTORY)


def test_partitioning_a_filled_table_keeps_its_rows_and_ids_counting_on(pull_request):
    # Runs inside the test's transaction: Postgres rolls the DDL back with everything else.
    connection.check_constraints()  # as a commit would; ALTER TABLE refuses pending foreign-key checks
    executor = MigrationExecutor(connection)
    executor.migrate([("ingestion", "0004_analysis_status_one_spelling")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('pr_state_history_default')")
        assert cursor.fetchone() == (None,)
    row = _history(pull_request, at=datetime(2026, 8, 15, 12, tzinfo=UTC))
    connection.check_constraints()  # as a commit would; ALTER TABLE refuses pending foreign-key checks

    MigrationExecutor(connection).migrate([("ingestion", "0005_pr_state_history_partitioned")])

    assert _partition_of(row.pk) == "pr_state_history_y2026m08"
    assert _history(pull_request).pk == row.pk + 1
