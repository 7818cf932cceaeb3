"""One handler per GitHub event: payload -> upserts. Each returns an Outcome."""

from __future__ import annotations

from collections.abc import Callable

from ingestion.models import WebhookDelivery
from ingestion.services.webhooks import handlers_activity, handlers_repository
from ingestion.services.webhooks import handlers_check_runs as handlers_checks
from ingestion.services.webhooks.outcome import Outcome

Handler = Callable[[dict, WebhookDelivery], Outcome]

HANDLERS: dict[str, Handler] = {
    "ping": handlers_repository.ping,
    "installation": handlers_repository.installation,
    "installation_repositories": handlers_repository.installation_repositories,
    "repository": handlers_repository.repository,
    "push": handlers_repository.push,
    "pull_request": handlers_activity.pull_request,
    "pull_request_review": handlers_activity.pull_request_review,
    "pull_request_review_comment": handlers_activity.pull_request_review_comment,
    "issues": handlers_activity.issues,
    "issue_comment": handlers_activity.issue_comment,
    "milestone": handlers_activity.milestone,
    "check_suite": handlers_checks.check_suite,
    "check_run": handlers_checks.check_run,
    "workflow_run": handlers_checks.workflow_run,
    "workflow_job": handlers_checks.workflow_job,
}
