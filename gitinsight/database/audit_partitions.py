"""Monthly partitions of `audit_logs` (PARTITION BY RANGE (created_at)); the
mechanics, shared with pull request state history, are in gitinsight/database/partitions.py.

Rows for a month without a partition land in `audit_logs_default`, so recording an audit
row never fails; `audit_partitions_ensure` (daily schedule and migration 0003) creates the
coming months ahead of time and moves such stray rows into their own month.
"""

from __future__ import annotations

from datetime import date, datetime

from gitinsight.database.partitions import (
    MonthlyTable,
    PartitionError,
    month_start,
    months_after,
    months_in_default,
    partition_create,
    partitions,
    partitions_drop_expired,
    partitions_ensure,
)

AUDIT_LOGS = MonthlyTable(parent="audit_logs", lock_key=0x417564697450, append_only_trigger="audit_logs_append_only")
PARENT = AUDIT_LOGS.parent
DEFAULT_PARTITION = AUDIT_LOGS.default_partition
APPEND_ONLY_TRIGGER = AUDIT_LOGS.append_only_trigger
AuditPartitionError = PartitionError

__all__ = ["AuditPartitionError", "month_start", "months_after"]


def partition_name(month: date) -> str:
    return AUDIT_LOGS.partition_name(month)


def partition_month(name: str) -> date | None:
    return AUDIT_LOGS.partition_month(name)


def audit_partitions() -> list[str]:
    """Names of the tables attached to audit_logs, the default partition included, sorted."""
    return partitions(AUDIT_LOGS)


def audit_months_in_default() -> list[date]:
    return months_in_default(AUDIT_LOGS)


def audit_partition_create(*, month: date) -> bool:
    return partition_create(AUDIT_LOGS, month=month)


def audit_partitions_ensure(*, months_ahead: int = 3, now: datetime | None = None) -> list[str]:
    return partitions_ensure(AUDIT_LOGS, months_ahead=months_ahead, now=now)


def audit_partitions_drop_expired(*, keep_months: int, now: datetime | None = None) -> list[str]:
    """Dropping a partition removes its audit rows for good: only when an operator
    configured AUDIT_RETENTION_MONTHS."""
    return partitions_drop_expired(AUDIT_LOGS, keep_months=keep_months, now=now)
