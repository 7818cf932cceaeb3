"""How long ingested rows stay (old check runs are archived), run daily:
check runs (with their failure analyses and fix attempts) after CHECK_RUN_RETENTION_DAYS,
webhook deliveries (the idempotency log; payloads go after WEBHOOK_PAYLOAD_RETENTION_DAYS)
after WEBHOOK_DELIVERY_RETENTION_DAYS. 0 keeps rows forever."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from gitinsight.database.retention import retention_days_checked, rows_expire
from ingestion.models import CheckRun, WebhookDelivery

# GitHub lets a delivery be redelivered for a few days: its id must still be known then,
# or it would be processed twice.
MIN_DELIVERY_DAYS = 7
# Failure attribution compares a failure with the check runs of recent weeks.
MIN_CHECK_RUN_DAYS = 30


def ingestion_rows_expire(*, now: datetime | None = None) -> dict[str, dict]:
    now = now or timezone.now()
    done = {}
    days = retention_days_checked("WEBHOOK_DELIVERY_RETENTION_DAYS", minimum=MIN_DELIVERY_DAYS)
    if days:
        old = WebhookDelivery.objects.filter(received_at__lt=now - timedelta(days=days))
        done["webhook_deliveries"] = rows_expire(old, label="webhook_deliveries").as_dict()
    days = retention_days_checked("CHECK_RUN_RETENTION_DAYS", minimum=MIN_CHECK_RUN_DAYS)
    if days:
        old = CheckRun.objects.filter(created_at__lt=now - timedelta(days=days))
        done["check_runs"] = rows_expire(old, label="check_runs").as_dict()
    return done
