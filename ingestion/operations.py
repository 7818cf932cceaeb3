"""Ingestion's panel on the operations page: are webhooks arriving and being processed,
is polling failing, is the GitHub API budget exhausted. Staff see their organizations'
repositories; superusers see everything (deliveries not tied to a repository included)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import ngettext

from gitinsight.operations.panels import Metric, PanelBody, Table, ago
from ingestion.models import BackfillRun, Repository, SyncCursor, WebhookDelivery

#: A delivery still unprocessed after this long means the worker is not keeping up.
BACKLOG_LATE_AFTER = timedelta(minutes=10)
#: How many refused deliveries the page lists, newest first.
REFUSED_LISTED = 10


def ingestion_panel(user: AbstractBaseUser) -> PanelBody:
    now = timezone.now()
    deliveries = WebhookDelivery.objects.visible_to(user)
    repositories = Repository.objects.visible_to(user)
    last_received = deliveries.aggregate(last=Max("received_at"))["last"]
    backlog = deliveries.filter(status=WebhookDelivery.Status.RECEIVED)
    oldest_waiting = backlog.aggregate(oldest=Min("received_at"))["oldest"]
    failed = deliveries.filter(status=WebhookDelivery.Status.FAILED, received_at__gte=now - timedelta(hours=24))
    refused = deliveries.filter(status=WebhookDelivery.Status.REFUSED)
    refused_count = refused.filter(received_at__gte=now - timedelta(hours=24)).count()
    polling_errors = repositories.filter(monitoring_status=Repository.MonitoringStatus.ERROR).count()
    cursor_errors = SyncCursor.objects.filter(repository__in=repositories).exclude(error="").count()
    waiting = BackfillRun.objects.filter(repository__in=repositories, status=BackfillRun.Status.WAITING)
    resume_at = waiting.aggregate(next=Min("resume_at"))["next"]
    backlog_count, failed_count, waiting_count = backlog.count(), failed.count(), waiting.count()
    return PanelBody(
        [
            Metric("Last webhook delivery", ago(last_received)),
            Metric(
                "Deliveries waiting to be processed",
                f"{backlog_count}, the oldest received {ago(oldest_waiting)}" if backlog_count else "0",
                "warn" if oldest_waiting and now - oldest_waiting > BACKLOG_LATE_AFTER else "ok",
            ),
            Metric("Failed deliveries in the last 24 h", str(failed_count), "bad" if failed_count else "ok"),
            Metric("Refused deliveries in the last 24 h", str(refused_count), "bad" if refused_count else "ok"),
            Metric("Repositories whose polling stopped", str(polling_errors), "bad" if polling_errors else "ok"),
            Metric("Sync cursors with an error", str(cursor_errors), "warn" if cursor_errors else "ok"),
            Metric(
                "GitHub rate limit",
                ngettext("%(count)d backfill paused", "%(count)d backfills paused", waiting_count)
                % {"count": waiting_count}
                + f" until the budget resets ({ago(resume_at)})"
                if waiting_count
                else "no backfill is waiting for the budget (remaining requests are not recorded)",
                "warn" if waiting_count else "ok",
            ),
        ],
        _refused_table(refused),
    )


def _refused_table(refused) -> list[Table]:
    """The latest refusals with their reason, so an operator can tell an attack from a
    misconfiguration; nothing when there are none."""
    rows = [
        [
            ago(delivery.received_at),
            delivery.delivery_id,
            " ".join(part for part in (delivery.event.replace("_", " "), delivery.action.replace("_", " ")) if part),
            delivery.repository.full_name if delivery.repository else "not stored",
            delivery.error,
        ]
        for delivery in refused.select_related("repository").order_by("-received_at")[:REFUSED_LISTED]
    ]
    if not rows:
        return []
    return [Table("Latest refused deliveries", ["Received", "Delivery", "Event", "Repository", "Why"], rows)]
