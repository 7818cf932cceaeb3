"""Bad input, tried systematically: correctly signed deliveries whose JSON is anything at
all, or GitHub's own examples with parts replaced or removed, posted through the real
view. The answer is 202, 200 or 400 with a JSON detail, never a 500; every delivery is
recorded; one that cannot be stored says why in words, not with a Python error name."""

from __future__ import annotations

import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingestion.models import WebhookDelivery
from ingestion.services.webhooks.intake import HANDLED_EVENTS
from tests.ingestion.strategies import as_json, json_values, mutated

pytestmark = pytest.mark.django_db
fuzz = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
#: what a delivery that failed on its JSON's shape may never say: these are our bugs
PROGRAMMING_ERRORS = ("AttributeError", "TypeError", "KeyError", "IndexError", "RecursionError", "UnboundLocalError",
                      "NameError", "AssertionError", "UnicodeEncodeError")
EVENTS = sorted(HANDLED_EVENTS)


def deliver(github, event: str, body: bytes):
    delivery_id = str(uuid.uuid4())
    response = github.send(event, body, delivery_id=delivery_id)
    assert response.status_code in (200, 202, 400), response.content[:300]
    assert "detail" in response.json()
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    if response.status_code == 400:
        assert delivery.status == WebhookDelivery.Status.FAILED and delivery.payload is None
    else:
        assert delivery.status in (WebhookDelivery.Status.PROCESSED, WebhookDelivery.Status.SKIPPED,
                                   WebhookDelivery.Status.FAILED, WebhookDelivery.Status.REFUSED)
    assert not delivery.error.startswith(PROGRAMMING_ERRORS), delivery.error
    return response, delivery


@fuzz
@given(event=st.sampled_from([*EVENTS, "star", "\u00e9v\u00e9nement"]), payload=json_values)
def test_any_json_value_is_answered_and_recorded(github, event, payload):
    response, _ = deliver(github, event, as_json(payload))
    if not isinstance(payload, dict):
        assert response.status_code == 400


@fuzz
@given(data=st.data())
def test_mutated_github_examples_are_answered_recorded_and_never_crash_processing(github, examples, data):
    event = data.draw(st.sampled_from(EVENTS))
    original = data.draw(st.sampled_from(examples[event]))
    deliver(github, event, as_json(data.draw(mutated(original))))


@fuzz
@given(body=st.one_of(st.binary(max_size=200), st.text(max_size=100).map(str.encode)))
def test_any_bytes_are_answered_with_400_or_accepted(github, body):
    deliver(github, "push", body)


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"a": NaN}', "NaN is not JSON"),
        (b'{"a": -Infinity}', "-Infinity is not JSON"),
        (b'{"a": "\xff"}', "malformed JSON"),
        (b"", "malformed JSON"),
    ],
)
def test_json_postgres_or_python_cannot_take_is_a_400_naming_the_reason(github, body, why):
    response, delivery = deliver(github, "push", body)
    assert response.status_code == 400
    assert why in response.json()["detail"] and why in delivery.error


@pytest.mark.parametrize(
    "payload",
    [
        {"zen": "a\u0000b", "hook_id": 1},
        {"zen": "\ud800 lone surrogate", "hook_id": 1},
        {"zen": "\\u0000 written out, and a real \u0000", "hook_id": 1},
        {"zen": "ok", "repository": "not an object"},
        {"zen": "ok", "repository": {"id": 2**70}, "installation": {"id": "12"}},
        {"zen": "ok", "repository": [1, 2]},
    ],
)
def test_strings_and_ids_postgres_cannot_hold_are_stored_without_them(github, payload):
    response, delivery = deliver(github, "ping", json.dumps(payload).encode())
    assert response.status_code == 202
    assert "\u0000" not in json.dumps(delivery.payload, ensure_ascii=False)
    if payload["zen"].startswith("\\u0000"):
        assert delivery.payload["zen"] == "\\u0000 written out, and a real "
    assert delivery.repository_github_id is None


def test_a_nul_in_the_delivery_headers_is_dropped(github, examples):
    response = github.send("pi\u0000ng", as_json(examples["ping"][0]), delivery_id="nul\u0000-1")
    assert response.status_code == 202
    assert WebhookDelivery.objects.get(pk="nul-1").event == "ping"


def test_a_body_over_webhook_max_bytes_is_refused_with_413(github, settings):
    settings.WEBHOOK_MAX_BYTES = 1000
    response = github.send("ping", b'{"zen": "' + b"x" * 1000 + b'"}')
    assert response.status_code == 413
    assert "WEBHOOK_MAX_BYTES" in response.json()["detail"]
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize("depth", [10, 500, 900, 990])
def test_deep_json_holding_nul_is_stored_without_it_or_refused_as_too_deep(github, depth):
    body = b'{"zen": ' + b"[" * depth + b'"a\\u0000b\\ud800"' + b"]" * depth + b"}"
    response, delivery = deliver(github, "ping", body)
    if response.status_code == 400:
        assert "nested too deeply" in delivery.error
    else:
        assert "\\u0000" not in json.dumps(delivery.payload)
