"""Handlers for check suites, check runs and GitHub Actions runs and jobs."""

from __future__ import annotations

from ingestion import signals
from ingestion.models import WebhookDelivery
from ingestion.services import check_run_upsert, check_suite_upsert, workflow_job_upsert, workflow_run_upsert
from ingestion.services.rows import announce
from ingestion.services.webhooks.handlers_repository import payload_part, payload_repository_required
from ingestion.services.webhooks.outcome import Outcome


def check_suite(payload: dict, delivery: WebhookDelivery) -> Outcome:
    repository = payload_repository_required(payload)
    check_suite_upsert(repository=repository, data=payload_part(payload, "check_suite"))
    return Outcome.processed(repository)


def check_run(payload: dict, delivery: WebhookDelivery) -> Outcome:
    """Stores the check run; a button pressed on one of GitInsight's own check runs
    (`requested_action`) is announced for the app that put it there."""
    repository = payload_repository_required(payload)
    stored = check_run_upsert(repository=repository, data=payload_part(payload, "check_run"))
    if delivery.action == "requested_action" and stored.is_gitinsight:
        requested = payload.get("requested_action")
        identifier = requested.get("identifier") if isinstance(requested, dict) else None
        sender = payload.get("sender")
        announce(signals.check_run_action_requested, sender=type(stored), repository_id=repository.pk,
                 check_run_github_id=stored.github_id, head_sha=stored.head_sha, identifier=str(identifier or ""),
                 requested_by=str(sender.get("login", "")) if isinstance(sender, dict) else "")
        return Outcome.processed(repository, note=f"requested action {identifier or 'without identifier'}")
    return Outcome.processed(repository)


def workflow_run(payload: dict, delivery: WebhookDelivery) -> Outcome:
    repository = payload_repository_required(payload)
    workflow_run_upsert(repository=repository, data=payload_part(payload, "workflow_run"))
    return Outcome.processed(repository)


def workflow_job(payload: dict, delivery: WebhookDelivery) -> Outcome:
    repository = payload_repository_required(payload)
    workflow_job_upsert(repository=repository, data=payload_part(payload, "workflow_job"))
    return Outcome.processed(repository)
