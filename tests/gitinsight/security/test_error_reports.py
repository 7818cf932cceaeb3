"""A crash shows users a plain page and admins a report, neither with a secret in it."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.http import HttpRequest
from django.test import Client
from django.urls import path

from gitinsight.urls import urlpatterns as site_urlpatterns

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

# Built at run time: the debug page quotes this file's source around the crash.
TOKEN = "ghp_" + "Cr4shT0ken" * 4
API_KEY = "gi_" + "Cr4sh-key_" * 4 + "xyz"
DATABASE_PASSWORD = "hunter2-" * 3
KEY_BODY = "MIIEowIBAAKCAQEA" * 2
PRIVATE_KEY = f"-----BEGIN RSA PRIVATE KEY-----\\n{KEY_BODY}\\n-----END RSA PRIVATE KEY-----"
WEBHOOK_SECRET = "whsec-" + "crash" * 3
SECRETS = (TOKEN, API_KEY, DATABASE_PASSWORD, KEY_BODY, WEBHOOK_SECRET)


def crash(request: HttpRequest):
    github_token = TOKEN  # noqa: F841 - a local variable an error report would show
    raise RuntimeError(f"GitHub refused {TOKEN} for {request.headers['Authorization']}")


urlpatterns = [path("crash", crash), path("api/crash", crash), *site_urlpatterns]
handler404 = "gitinsight.security.error_pages.page_not_found"
handler500 = "gitinsight.security.error_pages.server_error"


@pytest.fixture
def leaky(settings):
    settings.DATABASE_URL = f"postgres://gitinsight:{DATABASE_PASSWORD}@db.example.org/gitinsight"
    settings.GITHUB_APP_PRIVATE_KEY = PRIVATE_KEY
    settings.GITHUB_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.ADMINS = [("Ops", "ops@example.org")]
    return settings


@pytest.fixture
def browser() -> Client:
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {API_KEY}")


def assert_no_secret(text: str) -> None:
    leaked = [secret for secret in SECRETS if secret in text]
    assert not leaked, f"leaked {leaked}"


def test_a_crash_shows_a_plain_page_without_traceback_settings_or_secrets(leaky, browser):
    response = browser.get("/crash")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Traceback" not in page and "SECRET_KEY" not in page and "RuntimeError" not in page
    assert_no_secret(page)


def test_an_api_crash_is_a_json_500_without_internals(leaky, browser):
    response = browser.get("/api/crash")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert_no_secret(response.content.decode())


def test_the_crash_is_logged_and_mailed_to_admins_without_secrets(leaky, browser, caplog):
    with caplog.at_level(logging.ERROR):
        browser.get("/crash")
    assert "Internal Server Error: /crash" in caplog.text
    assert_no_secret(caplog.text)
    [email] = mail.outbox
    assert "RuntimeError at /crash" in email.body
    assert_no_secret(email.subject + email.body)


def test_even_the_debug_page_hides_secrets(leaky, browser):
    leaky.DEBUG = True
    response = browser.get("/crash")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Traceback" in page and "DATABASE_URL" in page
    assert_no_secret(page)
