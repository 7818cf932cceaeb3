from urllib.parse import parse_qs, urlparse

import pytest
from allauth.socialaccount.providers.github.views import GitHubOAuth2Adapter

from gitinsight.models import AuditLog, User
from tests.gitinsight.fake_github_oauth import FakeGitHub

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_github(settings, monkeypatch):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "github": {"APPS": [{"client_id": "Iv1.client", "secret": "s3cret", "key": ""}], "SCOPE": ["read:user"]}
    }
    with FakeGitHub() as fake:
        # The adapter computes its endpoints from settings at import time; point them at the fake.
        monkeypatch.setattr(GitHubOAuth2Adapter, "access_token_url", f"{fake.url}/login/oauth/access_token")
        monkeypatch.setattr(GitHubOAuth2Adapter, "authorize_url", f"{fake.url}/login/oauth/authorize")
        monkeypatch.setattr(GitHubOAuth2Adapter, "profile_url", f"{fake.url}/user")
        monkeypatch.setattr(GitHubOAuth2Adapter, "emails_url", f"{fake.url}/user/emails")
        yield fake


def sign_in_with_github(client, fake, code="the-code"):
    start = client.post("/accounts/github/login/?process=login")
    assert start.status_code == 302
    authorize = urlparse(start["Location"])
    assert authorize.path == "/login/oauth/authorize"
    state = parse_qs(authorize.query)["state"][0]
    return client.get("/accounts/github/login/callback/", {"code": code, "state": state})


def test_the_admin_login_page_offers_github(client, fake_github):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b"Sign in with GitHub" in response.content
    assert b'action="/accounts/github/login/' in response.content


def test_the_admin_login_page_says_when_github_is_not_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"github": {}}
    response = client.get("/admin/login/")
    assert b"Sign in with GitHub is not configured" in response.content


def test_signing_in_with_github_creates_a_maintainer_from_the_profile(client, fake_github):
    response = sign_in_with_github(client, fake_github)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    user = User.objects.get(github_id=583231)
    assert (user.username, user.name, user.location, user.is_staff) == ("octocat", "The Octocat", "San Francisco", True)
    assert user.groups.filter(name="maintainers").exists()
    assert client.get("/admin/").status_code == 200
    assert AuditLog.objects.filter(user=user, action="auth.login", details__method="github").exists()
    assert ("POST", "/login/oauth/access_token") in fake_github.requests


def test_a_wrong_code_does_not_sign_anyone_in(client, fake_github):
    response = sign_in_with_github(client, fake_github, code="stolen")
    assert response.status_code == 401  # allauth's "login failed" page, not a stack trace
    assert b"Login Failure" in response.content
    assert not User.objects.filter(github_id=583231).exists()
    assert client.get("/admin/").status_code == 302


def test_signing_in_twice_reuses_the_same_user(client, fake_github):
    sign_in_with_github(client, fake_github)
    client.logout()
    sign_in_with_github(client, fake_github)
    assert User.objects.filter(github_id=583231).count() == 1


def test_an_operator_can_still_sign_in_with_a_password(client, db):
    User.objects.create_superuser(username="ops", password="a-long-password-1")
    response = client.post("/admin/login/", {"username": "ops", "password": "a-long-password-1", "next": "/admin/"})
    assert response.status_code == 302
    assert AuditLog.objects.filter(action="auth.login", details__method="password").exists()
