"""Real GitHub webhook payloads from @octokit/webhooks-examples (fetched by
scripts/fetch_fixtures.sh into .cache/octokit), and a client that signs deliveries."""

from __future__ import annotations

import json
import uuid
from functools import cache
from pathlib import Path

import pytest
from django.test import Client

from ingestion.core.webhook_signature import signature_for

EXAMPLES = Path(__file__).resolve().parents[2] / ".cache/octokit/webhooks-examples/api.github.com/index.json"
SECRET = "test-webhook-secret"


@cache
def _examples() -> dict[str, list[dict]]:
    return {entry["name"]: entry["examples"] for entry in json.loads(EXAMPLES.read_text())}


@pytest.fixture
def examples() -> dict[str, list[dict]]:
    if not EXAMPLES.exists():
        pytest.skip(f"{EXAMPLES} is absent: run scripts/fetch_fixtures.sh")
    return _examples()


def example(examples: dict[str, list[dict]], event: str, action: str | None = None) -> dict:
    for payload in examples[event]:
        if action is None or payload.get("action") == action:
            return json.loads(json.dumps(payload))
    raise LookupError(f"no {event}.{action} example")


@pytest.fixture
def webhook_secret(settings) -> str:
    settings.GITHUB_WEBHOOK_SECRET = SECRET
    return SECRET


class GitHubSender:
    """Posts deliveries the way GitHub does: raw JSON body, event/delivery/signature headers."""

    def __init__(self, client: Client, secret: str, on_commit) -> None:
        self.client, self.secret, self.on_commit = client, secret, on_commit

    def send(self, event: str, payload: dict | bytes, *, delivery_id: str | None = None, signature: str | None = None):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = {
            "HTTP_X_GITHUB_EVENT": event,
            "HTTP_X_GITHUB_DELIVERY": delivery_id or str(uuid.uuid4()),
            "HTTP_X_HUB_SIGNATURE_256": signature if signature is not None else signature_for(self.secret, body),
        }
        # The test runs inside a transaction: run the on-commit enqueue (a synchronous
        # django-q2 task under settings_test) as a real commit would.
        with self.on_commit(execute=True):
            return self.client.post("/webhooks/github", data=body, content_type="application/json", **headers)


@pytest.fixture
def github(client, webhook_secret, django_capture_on_commit_callbacks) -> GitHubSender:
    return GitHubSender(client, webhook_secret, django_capture_on_commit_callbacks)
