"""Turn a stored delivery into rows, exactly once."""

from __future__ import annotations

import logging
import random
import time
from datetime import timedelta

from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone
from psycopg.errors import DeadlockDetected

from ingestion.models import Repository, WebhookDelivery
from ingestion.services.repositories import RepositoryTenantConflict
from ingestion.services.rows import UpsertRefused
from ingestion.services.webhooks.handlers import HANDLERS
from ingestion.services.webhooks.outcome import Outcome

logger = logging.getLogger(__name__)

#: how long a raw payload is kept for re-processing (setting WEBHOOK_PAYLOAD_RETENTION_DAYS)
DEADLOCK_RETRIES = 3


class DeliveryNotReprocessable(Exception):
    """The delivery's payload is gone (past retention, or it was never valid JSON)."""


def delivery_process(*, delivery_id: str, force: bool = False) -> str:
    """Process a RECEIVED delivery (or, with `force`, any delivery whose payload is kept)
    and return its new status. The delivery row is locked for the whole processing, so
    two workers given the same delivery process it once. A handler error rolls back the
    handler's writes and leaves the delivery FAILED with the error; a payload that names
    rows of another repository or organization, or speaks for another organization than
    the repository's (an installation bound elsewhere), leaves it REFUSED with the reason."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None:
            return "missing"
        if delivery.status != WebhookDelivery.Status.RECEIVED and not force:
            return delivery.status
        if delivery.payload is None:
            raise DeliveryNotReprocessable(f"delivery {delivery_id} has no stored payload")
        delivery.attempts += 1
        handler = HANDLERS.get(delivery.event)
        try:
            outcome = _run_handler(handler, delivery)
        except RepositoryTenantConflict as exc:
            # Another organization's data about a repository: nothing of it was written, and the
            # delivery is tied to no repository (the row's organization must not read the
            # payload), so only operators see it and its reason.
            logger.warning("webhook delivery %s (%s) refused: %s", delivery_id, delivery.event, exc)
            delivery.status = WebhookDelivery.Status.REFUSED
            delivery.error = f"Refused: {exc}."
            delivery.repository = None
        except UpsertRefused as exc:
            logger.warning("webhook delivery %s (%s) refused: %s", delivery_id, delivery.event, exc)
            delivery.status = WebhookDelivery.Status.REFUSED
            delivery.error = f"Refused: {exc}."
            # The handler's writes were rolled back; the repository the payload named is
            # kept only if it was stored before, so its organization sees the refusal.
            named = delivery.repository_github_id
            delivery.repository = Repository.objects.filter(github_id=named).first() if named is not None else None
        except Exception as exc:
            logger.exception("webhook delivery %s (%s) failed", delivery_id, delivery.event)
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.error = f"{type(exc).__name__}: {exc}"[:10000]
        else:
            delivery.status = outcome.status
            delivery.error = "" if outcome.status == WebhookDelivery.Status.PROCESSED else outcome.note
            if outcome.repository is not None:
                delivery.repository = outcome.repository
        delivery.processed_at = timezone.now()
        delivery.save(update_fields=["status", "error", "repository", "attempts", "processed_at"])
        return delivery.status


def _run_handler(handler, delivery: WebhookDelivery) -> Outcome:
    """Run the handler in a savepoint; a deadlock with a concurrent delivery of the same
    entities rolls the savepoint back (releasing its locks) and runs it again."""
    if handler is None:
        return Outcome.skipped("event not ingested")
    for attempt in range(1, DEADLOCK_RETRIES + 1):
        try:
            with transaction.atomic():
                return handler(delivery.payload, delivery)
        except OperationalError as exc:
            if not isinstance(exc.__cause__, DeadlockDetected) or attempt == DEADLOCK_RETRIES:
                raise
            logger.info("delivery %s deadlocked (attempt %d), retrying", delivery.pk, attempt)
            time.sleep(random.uniform(0.01, 0.05) * attempt)
    raise AssertionError("unreachable")


def delivery_payloads_expire(*, now=None) -> int:
    """Clear raw payloads older than the retention period; the rows and hashes stay."""
    days = settings.WEBHOOK_PAYLOAD_RETENTION_DAYS
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return WebhookDelivery.objects.filter(received_at__lt=cutoff, payload__isnull=False).update(payload=None)


def delivery_reprocess(*, delivery_id: str, user) -> str:
    """Process a stored delivery again (admin action), whatever its status, and audit it.
    Upserts are idempotent, so a delivery processed before changes nothing twice."""
    from gitinsight.services.audit import audit_record

    status = delivery_process(delivery_id=delivery_id, force=True)
    audit_record(
        user=user,
        action="webhook_delivery.reprocess",
        resource_type="webhook_delivery",
        resource_id=delivery_id,
        details={"status": status},
    )
    return status
