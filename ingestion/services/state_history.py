"""Pull request state history (table `pr_state_history`) is partitioned by UTC month,
as the audit log is (gitinsight/database/partitions.py; migration 0005): a month of history is
one table, read through its own indexes and, past PR_STATE_HISTORY_RETENTION_MONTHS,
dropped whole instead of deleted row by row."""

from __future__ import annotations

from django.conf import settings

from gitinsight.database.partitions import MonthlyTable, partitions_drop_expired, partitions_ensure

PR_STATE_HISTORY = MonthlyTable(parent="pr_state_history", lock_key=0x5072537448)  # "PrStH"


def state_history_partitions_maintain() -> dict[str, list[str]]:
    """Daily: create the coming months' partitions, and drop the expired ones when
    PR_STATE_HISTORY_RETENTION_MONTHS is set (0, the default, keeps history forever)."""
    created = partitions_ensure(PR_STATE_HISTORY, months_ahead=3)
    keep_months = settings.PR_STATE_HISTORY_RETENTION_MONTHS
    dropped = partitions_drop_expired(PR_STATE_HISTORY, keep_months=keep_months) if keep_months else []
    return {"created": created, "dropped": dropped}
