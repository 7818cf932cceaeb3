"""Security headers, cookie flags and CSRF: the rules in settings.py as a deployment and
the demo see them, and every session-authenticated POST refused without a CSRF token."""

from __future__ import annotations

import re
import runpy
from pathlib import Path
from re import _parser as regex_parser

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from gitinsight.env import local_http_url
from gitinsight.models import User
from tests.conftest import key_client

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "gitinsight" / "settings.py"

SECURITY_SETTINGS = [
    "GITINSIGHT_PRODUCTION", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
]


def settings_with(monkeypatch, **env: str) -> dict:
    """settings.py evaluated afresh in an environment holding only `env` (and a database URL
    that is never connected to)."""
    for name in ["DEBUG", "SITE_URL", "GITINSIGHT_PRODUCTION", "SECURE_SSL_REDIRECT", "USE_X_FORWARDED_PROTO",
                 "SECURE_HSTS_SECONDS"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://gitinsight@127.0.0.1:1/unused")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    evaluated = runpy.run_path(str(SETTINGS_FILE))
    return {name: evaluated[name] for name in SECURITY_SETTINGS}


@pytest.fixture
def deployed(settings, monkeypatch):
    """The test settings with the security settings of an https deployment."""
    for name, value in settings_with(monkeypatch, SITE_URL="https://gitinsight.example.org").items():
        setattr(settings, name, value)
    return settings


def test_the_demo_on_loopback_http_gets_plain_cookies_and_no_https_rules(monkeypatch):
    demo = settings_with(monkeypatch)
    assert demo == {name: demo[name] for name in SECURITY_SETTINGS}
    assert not demo["GITINSIGHT_PRODUCTION"]
    assert not demo["SESSION_COOKIE_SECURE"] and not demo["CSRF_COOKIE_SECURE"]
    assert not demo["SECURE_SSL_REDIRECT"] and demo["SECURE_HSTS_SECONDS"] == 0
    assert demo["SECURE_PROXY_SSL_HEADER"] is None


def test_an_https_deployment_gets_secure_cookies_hsts_and_a_redirect(monkeypatch):
    deployment = settings_with(monkeypatch, SITE_URL="https://gitinsight.example.org")
    assert deployment["GITINSIGHT_PRODUCTION"]
    assert deployment["SESSION_COOKIE_SECURE"] and deployment["CSRF_COOKIE_SECURE"]
    assert deployment["SECURE_SSL_REDIRECT"] and deployment["SECURE_HSTS_SECONDS"] == 31536000
    assert deployment["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_cookies_are_secure_whenever_debug_is_off_away_from_loopback(monkeypatch):
    plain = settings_with(monkeypatch, SITE_URL="http://gitinsight.internal", DEBUG="0")
    assert plain["SESSION_COOKIE_SECURE"] and plain["CSRF_COOKIE_SECURE"] and plain["GITINSIGHT_PRODUCTION"]
    assert plain["SECURE_HSTS_SECONDS"] == 0 and not plain["SECURE_SSL_REDIRECT"]  # HSTS only over https
    developing = settings_with(monkeypatch, SITE_URL="http://gitinsight.internal", DEBUG="1")
    assert not developing["SESSION_COOKIE_SECURE"] and not developing["GITINSIGHT_PRODUCTION"]


@pytest.mark.parametrize(
    "url, local",
    [("http://127.0.0.1:8000", True), ("http://localhost", True), ("http://[::1]:8000/", True),
     ("https://127.0.0.1:8000", False), ("http://gitinsight.internal", False), ("http://127.0.0.1.nip.io", False)],
)
def test_only_plain_http_on_this_machine_is_local(url, local):
    assert local_http_url(url) is local


def test_every_response_carries_the_security_headers(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response  # plain http in the tests, as in the demo


def test_a_deployment_sends_hsts_over_https_and_redirects_plain_http(deployed, client):
    response = client.get("/admin/login/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.cookies["csrftoken"]["secure"]
    redirect = client.get("/admin/login/")
    assert redirect.status_code == 301 and redirect["Location"] == "https://testserver/admin/login/"
    assert client.get("/healthz").status_code == 200  # load balancers probe over http


def test_a_deployment_sets_a_secure_httponly_session_cookie(deployed, client):
    User.objects.create_user(username="dora", password="dora-password", is_staff=True)
    response = client.post("/admin/login/?next=/admin/", {"username": "dora", "password": "dora-password"},
                           secure=True)
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


# --- CSRF -----------------------------------------------------------------------------
CSRF_EXEMPT = {"webhooks/github"}  # HMAC-signed by GitHub, no session (ingestion/services/webhooks/intake.py)
SAMPLE_ARGUMENTS = {"int": "1", "str": "x", "slug": "x", "path": "1", "uuid": "00000000-0000-0000-0000-000000000001"}


def sample_from_regex(parsed) -> str:
    """A string matching a parsed regular expression, taking the first choice everywhere."""
    out = []
    for op, value in parsed:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(value))
        elif name in {"ANY", "NOT_LITERAL"}:
            out.append("x" if value != ord("x") else "y")
        elif name == "IN":
            out.append(_sample_from_set(value))
        elif name in {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}:
            low, _high, item = value
            out.append(sample_from_regex(item) * max(low, 1))
        elif name == "SUBPATTERN":
            out.append(sample_from_regex(value[-1]))
        elif name == "BRANCH":
            out.append(sample_from_regex(value[1][0]))
        elif name != "AT":
            raise ValueError(f"no sample for {name}")
    return "".join(out)


def _sample_from_set(items) -> str:
    kind, value = items[0]
    if str(kind) == "NEGATE":
        return "x"
    if str(kind) == "LITERAL":
        return chr(value)
    if str(kind) == "RANGE":
        return chr(value[0])
    return {"CATEGORY_DIGIT": "1", "CATEGORY_SPACE": " "}.get(str(value), "x")


def sample_path(patterns) -> str:
    parts = []
    for pattern in patterns:
        if isinstance(pattern, RoutePattern):
            parts.append(re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_ARGUMENTS[m.group(1) or "str"], str(pattern)))
        elif isinstance(pattern, RegexPattern):
            parts.append(sample_from_regex(regex_parser.parse(str(pattern))))
        else:
            raise ValueError(f"no sample for {pattern!r}")
    return "/" + "".join(parts)


def every_route(resolver=None, prefix=()) -> list[tuple[str, str]]:
    """(route, a path that resolves to it) for every URL pattern of the site."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        patterns = (*prefix, entry.pattern)
        if isinstance(entry, URLResolver):
            found += every_route(entry, patterns)
        elif isinstance(entry, URLPattern):
            found.append(("".join(str(p) for p in patterns), sample_path(patterns)))
    return found


def test_the_walk_covers_every_route():
    routes = every_route()
    assert len(routes) > 100
    # Django drops the "^" of regular expressions after a prefix when it joins routes.
    unresolved = [(route, path) for route, path in routes if resolve(path).route != route.replace("/^", "/")]
    assert not unresolved


def test_every_session_post_without_a_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create_superuser(username="root", password="root-password-1"))
    accepted = {}
    for route, path in every_route():
        if route in CSRF_EXEMPT:
            continue
        response = client.post(path, {"name": "x"})
        if response.status_code == 403 and b"CSRF" not in response.content:
            # An HTML-rendered API page says only "403 Forbidden": with a token it is not refused.
            client.cookies["csrftoken"] = "t" * 32
            if client.post(path, {"name": "x"}, HTTP_X_CSRFTOKEN="t" * 32).status_code != 403:
                continue
        if response.status_code != 403 or b"CSRF" not in response.content:
            accepted[path] = response.status_code
    assert not accepted


def test_the_same_session_post_with_a_csrf_token_is_accepted(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.cookies["csrftoken"] = "t" * 32
    response = client.post("/api/v1/api-keys", {"name": "ci", "permissions": ["read"]}, HTTP_X_CSRFTOKEN="t" * 32)
    assert response.status_code == 201


def test_api_key_requests_need_no_csrf_token(alice):
    client = key_client(alice, "admin")
    client.enforce_csrf_checks = True
    client.handler.enforce_csrf_checks = True
    client.force_login(alice)  # a browser session alongside does not matter: the key authenticates
    response = client.post("/api/v1/api-keys", {"name": "deploy", "permissions": ["read"]}, format="json")
    assert response.status_code == 201


def test_webhooks_are_csrf_exempt_but_still_refused_without_a_signature(settings):
    settings.GITHUB_WEBHOOK_SECRET = "whsec-configured"
    response = Client(enforce_csrf_checks=True).post("/webhooks/github", b"{}", content_type="application/json")
    assert response.status_code == 401
