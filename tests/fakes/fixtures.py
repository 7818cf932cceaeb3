"""pytest fixtures around the fake GitHub server; test modules import the ones they use."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ingestion.core.rate_limit import RateLimitPolicy
from ingestion.models import Repository
from tests.fakes.github_examples import ExamplesMissing, RepositoryData, build_repository
from tests.fakes.github_server import FakeGitHub


@pytest.fixture
def github_data() -> RepositoryData:
    try:
        return build_repository()
    except ExamplesMissing as exc:
        pytest.skip(f"GitHub's example responses are not cached ({exc})")


@pytest.fixture
def fake_github(github_data: RepositoryData) -> Iterator[FakeGitHub]:
    with FakeGitHub(github_data) as fake:
        yield fake


@pytest.fixture
def github_settings(settings, fake_github: FakeGitHub):
    """Point the app at the fake with a personal token, which the operator allowed for
    acme's repositories on the octocat account."""
    settings.GITHUB_API_URL = fake_github.url
    settings.GITHUB_TOKEN = fake_github.token
    settings.GITHUB_TOKEN_REPOSITORIES = ["acme:octocat/*"]
    settings.GITHUB_APP_ID = ""
    settings.GITHUB_APP_PRIVATE_KEY = ""
    return settings


class RecordedSleep:
    """Stands in for time.sleep: records the waits; `then` runs after each one (e.g. the
    fake's rate-limit reset, as if the time had passed)."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.then = None

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        if self.then is not None:
            self.then()


@pytest.fixture
def sleep() -> RecordedSleep:
    return RecordedSleep()


@pytest.fixture
def policy(sleep: RecordedSleep) -> RateLimitPolicy:
    return RateLimitPolicy(reserve=0, max_wait=60.0, sleep=sleep)


@pytest.fixture
def hello_world(acme) -> Repository:
    """octocat/Hello-World connected by acme, before any backfill (no GitHub id yet)."""
    return Repository.objects.create(organization=acme, owner="octocat", name="Hello-World",
                                     full_name="octocat/Hello-World")


@pytest.fixture(scope="session")
def app_private_key() -> str:
    """A GitHub App's private key (PEM), made once per test run."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def app_settings_use(settings, fake: FakeGitHub, private_key: str):
    """Run as the fake's GitHub App, with no personal token (only Apps write check runs)."""
    settings.GITHUB_API_URL = fake.url
    settings.GITHUB_APP_ID = str(fake.app_id)
    settings.GITHUB_APP_PRIVATE_KEY = private_key
    settings.GITHUB_TOKEN = ""
    settings.GITHUB_TOKEN_REPOSITORIES = []
    return settings
