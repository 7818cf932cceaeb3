import pytest
from allauth.socialaccount.providers.github.views import GitHubOAuth2Adapter

from tests.gitinsight.fake_github_oauth import FakeGitHub


@pytest.fixture
def fake_github(settings, monkeypatch):
    """GitHub's OAuth endpoints on loopback, with allauth pointed at them."""
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
