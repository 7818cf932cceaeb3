"""What the webhook view does, as a plain function: verify, record, enqueue. Nothing else
happens while GitHub waits for the answer."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DataError, connection, transaction

from gitinsight.database.tenant_scope import SYSTEM, system_scope, transaction_in_scope
from ingestion.core.normalize.common import is_bigint
from ingestion.core.webhook_signature import signature_valid
from ingestion.models import WebhookDelivery

logger = logging.getLogger(__name__)

# What PostgreSQL text and jsonb cannot hold: NUL, and lone UTF-16 surrogates (a JSON
# "\ud800" escape decodes to one).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# The JSON escape of NUL, not preceded by an odd number of backslashes (then it is text).
# Text, not a walk of the parsed payload: that would recurse as deep as the JSON nests.
_NUL_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u0000")

#: events turned into rows; any other event is recorded SKIPPED
HANDLED_EVENTS = frozenset(
    {
        "ping",
        "installation",
        "installation_repositories",
        "repository",
        "push",
        "pull_request",
        "pull_request_review",
        "pull_request_review_comment",
        "issues",
        "issue_comment",
        "milestone",
        "check_suite",
        "check_run",
        "workflow_run",
        "workflow_job",
    }
)

_INSERT = """
    INSERT INTO webhook_deliveries
        (delivery_id, event, action, payload_sha256, payload, repository_github_id, installation_github_id,
         status, attempts, error, received_at)
    VALUES (%s, %s, %s, %s, %s::jsonb, %s, %s, %s, 0, %s, now())
    ON CONFLICT (delivery_id) DO NOTHING
    RETURNING delivery_id
"""


@dataclass(frozen=True)
class IntakeResult:
    status_code: int
    message: str
    delivery_id: str = ""
    duplicate: bool = False


def delivery_receive(
    *, body: bytes, event: str | None, delivery_id: str | None, signature: str | None, secret: str
) -> IntakeResult:
    """Verify and store one delivery and enqueue its processing, committed together.
    A delivery id seen before is acknowledged without storing or processing it again."""
    if not secret:
        return IntakeResult(401, "GITHUB_WEBHOOK_SECRET is not configured: deliveries cannot be verified")
    if len(body) > settings.WEBHOOK_MAX_BYTES:
        return IntakeResult(413, f"payload larger than WEBHOOK_MAX_BYTES ({settings.WEBHOOK_MAX_BYTES} bytes)")
    if not signature_valid(secret=secret, body=body, header=signature):
        return IntakeResult(401, "missing or invalid X-Hub-Signature-256")
    return _delivery_store(body=body, event=event, delivery_id=delivery_id)


def _delivery_store(*, body: bytes, event: str | None, delivery_id: str | None) -> IntakeResult:
    # Header values reach PostgreSQL text columns, which cannot hold NUL.
    delivery_id, event = _storable(delivery_id or "")[:100], _storable(event or "")[:100]
    if not delivery_id or not event:
        return IntakeResult(400, "missing X-GitHub-Delivery or X-GitHub-Event header")
    sha256 = hashlib.sha256(body).hexdigest()
    try:
        payload = _parse(body)
    except ValueError as exc:
        message = _storable(f"malformed JSON: {exc}")[:1000]
        with transaction_in_scope(SYSTEM), connection.cursor() as cursor:
            params = [delivery_id, event, "", sha256, None, None, None, WebhookDelivery.Status.FAILED]
            inserted = _insert(cursor, [*params, message])
        return IntakeResult(400, message, delivery_id, duplicate=not inserted)
    action = _storable(payload["action"])[:100] if isinstance(payload.get("action"), str) else ""
    repository_id, installation_id = _github_id(payload, "repository"), _github_id(payload, "installation")
    handled = event in HANDLED_EVENTS
    status = WebhookDelivery.Status.RECEIVED if handled else WebhookDelivery.Status.SKIPPED
    error = "" if handled else f"event {event!r} is not ingested"
    text = body.decode("utf-8", errors="replace")
    try:
        inserted = _store_and_enqueue(
            [delivery_id, event, action, sha256, text, repository_id, installation_id, status, error],
            enqueue=handled,
        )
    except DataError:
        # PostgreSQL's jsonb refuses \u0000 and lone surrogates inside strings (and a body
        # in UTF-16): keep the payload without them.
        text = _storable(_NUL_ESCAPE.sub(r"\1", json.dumps(payload, ensure_ascii=False)))
        inserted = _store_and_enqueue(
            [delivery_id, event, action, sha256, text, repository_id, installation_id, status, error],
            enqueue=handled,
        )
    if not inserted:
        return IntakeResult(200, "duplicate delivery ignored", delivery_id, duplicate=True)
    return IntakeResult(202 if handled else 200, "accepted" if handled else error, delivery_id)


def _parse(body: bytes) -> dict:
    """The payload object; ValueError for anything else, including JSON that PostgreSQL's
    jsonb refuses (NaN, Infinity) or that is nested deeper than Python can parse."""
    try:
        payload = json.loads(body, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if not isinstance(payload, dict):
        raise ValueError("the payload is not a JSON object")
    return payload


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _storable(text: str) -> str:
    return _UNSTORABLE.sub("", text) if _UNSTORABLE.search(text) else text


def _github_id(payload: dict, key: str) -> int | None:
    """`payload[key]["id"]` when it is an id PostgreSQL's bigint can hold, else None."""
    part = payload.get(key)
    value = part.get("id") if isinstance(part, dict) else None
    return value if is_bigint(value) else None


def _insert(cursor, params: list) -> bool:
    cursor.execute(_INSERT, params)
    return cursor.fetchone() is not None


def _store_and_enqueue(params: list, *, enqueue: bool) -> bool:
    """One transaction, one commit: the delivery row and, with django-q2's ORM broker,
    its task row commit together (no delivery without its task, no task without its
    delivery). Other brokers, and synchronous mode, are told after the commit.

    System work (row-level security's bypass), for the transaction only: a delivery GitHub
    signed names the repository it ingests into, whichever organization that is, and may
    name none."""
    with transaction_in_scope(SYSTEM), connection.cursor() as cursor:
        inserted = _insert(cursor, params)
        if inserted and enqueue:
            if _orm_broker():
                _enqueue(params[0])
            else:
                delivery_id = params[0]
                transaction.on_commit(lambda: _enqueue_as_system(delivery_id))
    return inserted


def _orm_broker() -> bool:
    """True when the task row can join our transaction: the ORM broker, not running tasks
    synchronously (in sync mode the task would run inside the request's transaction)."""
    from django_q.conf import Conf

    return bool(Conf.ORM) and not Conf.BROKER_CLASS and not Conf.SYNC


def _enqueue(delivery_id: str) -> None:
    from django_q.tasks import async_task

    async_task("ingestion.tasks.delivery_process_task", delivery_id, task_name=f"delivery {delivery_id}"[:100])


def _enqueue_as_system(delivery_id: str) -> None:
    """After the commit, which ended the transaction's system scope: the job is system work
    all the same (a job runs in the scope it was enqueued in)."""
    with system_scope():
        _enqueue(delivery_id)
