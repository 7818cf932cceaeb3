"""Handlers for check suites, check runs and GitHub Actions runs and jobs."""

from __future__ import annotations

from ingestion.models import WebhookDelivery
from ingestion.services import check_run_upsert, check_suite_upsert, workflow_job_upsert, workflow_run_upsert
from ingestion.services.webhooks.handlers_repository import payload_part, payload_repository_required
from ingestion.services.webhooks.outcome import Outcome


def check_suite(payload: dict, delivery: WebhookDelivery) -> Outcome:
    repository = payload_repository_required(payload)
    check_suite_upsert(repository=repository, data=payload_part(payload, "check_suite"))
    return Outcome.processed(repository)


def check_run(payload: dict, delivery: WebhookDelivery) -> Outcome:
    repository = payload_repository_required(payload)
    check_run_upsert(repository=repository, data=payload_part(payload, "check_run"))
    return Outcome.processed(repository)


def workflow_run(payload: dict, delivery: WebhookDelivery) -> Outcome:
    repository = payload_repository_required(payload)
    workflow_run_upsert(repository=repository, data=payload_part(payload, "workflow_run"))
    return Outcome.processed(repository)


def workflow_job(payload: dict, delivery: WebhookDelivery) -> Outcome:
    repository = payload_repository_required(payload)
    workflow_job_upsert(repository=repository, data=payload_part(payload, "workflow_job"))
    return Outcome.processed(repository)
