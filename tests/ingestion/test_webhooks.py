import json
from datetime import timedelta

import pytest
from django.utils import timezone

from ingestion.models import PullRequest, Repository, WebhookDelivery
from ingestion.services.webhooks.processing import DeliveryNotReprocessable, delivery_payloads_expire, delivery_process
from tests.ingestion.conftest import example

pytestmark = pytest.mark.django_db


def test_it_rejects_a_delivery_with_a_bad_signature(github, examples):
    response = github.send("ping", example(examples, "ping"), signature="sha256=" + "0" * 64)
    assert response.status_code == 401
    assert not WebhookDelivery.objects.exists()


def test_it_rejects_a_delivery_without_a_signature(github, examples):
    response = github.send("ping", example(examples, "ping"), signature="")
    assert response.status_code == 401


def test_it_rejects_every_delivery_while_no_secret_is_configured(github, examples, settings):
    settings.GITHUB_WEBHOOK_SECRET = ""
    response = github.send("ping", example(examples, "ping"))
    assert response.status_code == 401
    assert "GITHUB_WEBHOOK_SECRET" in response.json()["detail"]


def test_it_refuses_payloads_over_githubs_limit(github):
    response = github.send("push", b"{" + b" " * (25 * 1024 * 1024) + b"}")
    assert response.status_code == 413
    assert not WebhookDelivery.objects.exists()


def test_it_records_malformed_json_as_failed(github):
    response = github.send("push", b'{"ref": ', delivery_id="broken-1")
    assert response.status_code == 400
    delivery = WebhookDelivery.objects.get(pk="broken-1")
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert "malformed JSON" in delivery.error


def test_it_records_unknown_events_as_skipped(github, examples):
    response = github.send("star", example(examples, "star"), delivery_id="star-1")
    assert response.status_code == 200
    assert WebhookDelivery.objects.get(pk="star-1").status == WebhookDelivery.Status.SKIPPED


def test_it_stores_and_processes_the_same_delivery_once(github, examples):
    payload = example(examples, "pull_request", "opened")
    first = github.send("pull_request", payload, delivery_id="dup-1")
    payload["pull_request"]["title"] = "changed on replay"
    second = github.send("pull_request", payload, delivery_id="dup-1")
    assert (first.status_code, second.status_code) == (202, 200)
    assert second.json()["duplicate"] is True
    delivery = WebhookDelivery.objects.get(pk="dup-1")
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.PROCESSED, 1)
    assert PullRequest.objects.get().title != "changed on replay"


def test_it_keeps_the_raw_payload_and_its_hash(github, examples):
    payload = example(examples, "issues", "opened")
    github.send("issues", payload, delivery_id="keep-1")
    delivery = WebhookDelivery.objects.get(pk="keep-1")
    assert delivery.payload == payload
    assert len(delivery.payload_sha256) == 64
    assert delivery.repository.full_name == payload["repository"]["full_name"]


def test_it_answers_ping_with_the_repository_stored(github, examples):
    payload = example(examples, "ping")
    response = github.send("ping", payload, delivery_id="ping-1")
    assert response.status_code == 202
    assert json.loads(response.content)["delivery_id"] == "ping-1"
    assert WebhookDelivery.objects.get(pk="ping-1").status == WebhookDelivery.Status.PROCESSED


def test_it_files_an_installations_repositories_under_the_account(github, examples):
    payload = example(examples, "installation", "created")
    github.send("installation", payload, delivery_id="install-1")
    repositories = Repository.objects.filter(installation__github_id=payload["installation"]["id"])
    assert repositories.exists()
    assert {r.organization.login for r in repositories} == {payload["installation"]["account"]["login"]}


def test_it_clears_payloads_past_retention_and_then_refuses_to_reprocess(github, examples, settings):
    settings.WEBHOOK_PAYLOAD_RETENTION_DAYS = 7
    github.send("issues", example(examples, "issues", "opened"), delivery_id="old-1")
    WebhookDelivery.objects.filter(pk="old-1").update(received_at=timezone.now() - timedelta(days=8))
    assert delivery_payloads_expire() == 1
    delivery = WebhookDelivery.objects.get(pk="old-1")
    assert delivery.payload is None and len(delivery.payload_sha256) == 64
    with pytest.raises(DeliveryNotReprocessable):
        delivery_process(delivery_id="old-1", force=True)


def test_it_records_a_handler_failure_on_the_delivery(github, examples):
    payload = example(examples, "pull_request", "opened")
    del payload["pull_request"]["number"]
    github.send("pull_request", payload, delivery_id="bad-pr")
    delivery = WebhookDelivery.objects.get(pk="bad-pr")
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert "'number'" in delivery.error
    assert not PullRequest.objects.exists()
