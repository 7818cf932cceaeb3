# Fixtures are imported from tests.fakes.fixtures, so test arguments shadow those imports.
# ruff: noqa: F811
"""No secret reaches a log record: API keys, webhook secrets and signatures, GitHub tokens."""

from __future__ import annotations

import logging

import pytest

from gitinsight.models import AuditLog
from gitinsight.services.api_keys import api_key_create, api_key_revoke
from ingestion.core.webhook_signature import signature_for
from ingestion.services.polling import repository_poll
from tests.conftest import key_client
from tests.fakes.fixtures import fake_github, github_data, github_settings, hello_world  # noqa: F401 - fixtures
from tests.fakes.github_server import Fault

pytestmark = pytest.mark.django_db

REALISTIC_TOKEN = "ghp_" + "R3alL00king" * 3 + "abc"


def test_a_log_record_loses_keys_tokens_and_setting_values(caplog, settings):
    settings.GITHUB_WEBHOOK_SECRET = "whsec-rotated-in-this-test"
    key = "gi_" + "k" * 43
    with caplog.at_level(logging.INFO):
        logging.getLogger("gitinsight.anything").info(
            "sent %s with %s, secret %s", f"Bearer {key}", REALISTIC_TOKEN, settings.GITHUB_WEBHOOK_SECRET
        )
    [record] = caplog.records
    for secret in (key, REALISTIC_TOKEN, "whsec-rotated-in-this-test"):
        assert secret not in caplog.text
        assert secret not in record.getMessage()
    assert "sent Bearer [redacted] with ghp_[redacted], secret [redacted]" in caplog.text


def test_a_logged_traceback_loses_its_secrets(caplog):
    with caplog.at_level(logging.ERROR):
        try:
            raise RuntimeError(f"GitHub rejected {REALISTIC_TOKEN}")
        except RuntimeError:
            logging.getLogger("gitinsight.anything").exception("it failed")
    assert "RuntimeError: GitHub rejected ghp_[redacted]" in caplog.text
    assert REALISTIC_TOKEN not in caplog.text


def test_failed_api_key_authentication_logs_no_key(caplog, api, alice):
    unknown = "gi_" + "u" * 43
    revoked = key_client(alice, "read")
    api_key_revoke(api_key=revoked.api_key, by=alice)
    with caplog.at_level(logging.DEBUG):
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {unknown}")
        assert api.get("/api/v1/me").status_code == 401
        response = revoked.get("/api/v1/me")
        assert response.status_code == 401
    presented = revoked._credentials["HTTP_AUTHORIZATION"].split()[1]
    assert caplog.records, "django.request logs the 401s"
    for secret in (unknown, presented):
        assert secret not in caplog.text
        assert secret.encode() not in response.content


def test_a_new_keys_plaintext_stays_out_of_the_audit_log(alice):
    created = api_key_create(user=alice, name="ci", permissions=["read"])
    details = [str(row.details) for row in AuditLog.objects.all()]
    assert details and all(created.plaintext not in text for text in details)


def test_the_browsable_api_does_not_show_the_key_it_was_called_with(alice):
    client = key_client(alice, "read")
    response = client.get("/api/v1/me", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    presented = client._credentials["HTTP_AUTHORIZATION"].split()[1]
    assert presented.encode() not in response.content


def test_a_bad_webhook_signature_logs_neither_signature_nor_secret(caplog, client, settings):
    settings.GITHUB_WEBHOOK_SECRET = "whsec-webhook-under-test"
    body = b'{"zen": "Design for failure."}'
    forged = signature_for("not-the-secret", body)
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            "/webhooks/github", body, content_type="application/json",
            HTTP_X_GITHUB_EVENT="ping", HTTP_X_GITHUB_DELIVERY="d-1", HTTP_X_HUB_SIGNATURE_256=forged,
        )
    assert response.status_code == 401
    assert caplog.records, "django.request logs the 401"
    genuine = signature_for(settings.GITHUB_WEBHOOK_SECRET, body)
    for secret in (forged.removeprefix("sha256="), genuine.removeprefix("sha256="), "whsec-webhook-under-test"):
        assert secret not in caplog.text
        assert secret.encode() not in response.content


def test_a_github_error_quoting_a_token_is_logged_without_it(caplog, github_settings, fake_github, hello_world):
    message = f"Bad credentials: {REALISTIC_TOKEN} (and your {fake_github.token})"
    fake_github.add_fault(Fault(path="/repos/octocat/Hello-World", status=401, message=message, times=5))
    with caplog.at_level(logging.WARNING):
        outcome = repository_poll(repository=hello_world)
    assert outcome.status == "failed"
    assert "polling octocat/Hello-World failed" in caplog.text
    assert "Traceback" in caplog.text
    assert REALISTIC_TOKEN not in caplog.text
    assert fake_github.token not in caplog.text  # GITHUB_TOKEN's value, though not token-shaped
