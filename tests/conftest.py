"""The cast, as in healthchecks' tests: alice owns the "acme" organization, bob is a
member of it, charlie belongs to "globex" only. Everything runs on the real PostgreSQL."""

import pytest
from rest_framework.test import APIClient

from gitinsight.models import Membership, Organization, User
from gitinsight.services.api_keys import api_key_create


@pytest.fixture
def alice(db) -> User:
    return User.objects.create_user(username="alice", password="alice-password", email="alice@example.org")


@pytest.fixture
def bob(db) -> User:
    return User.objects.create_user(username="bob", password="bob-password")


@pytest.fixture
def charlie(db) -> User:
    return User.objects.create_user(username="charlie", password="charlie-password")


@pytest.fixture
def acme(alice, bob) -> Organization:
    organization = Organization.objects.create(login="acme", name="Acme")
    Membership.objects.create(organization=organization, user=alice, role=Membership.Role.OWNER)
    Membership.objects.create(organization=organization, user=bob, role=Membership.Role.MEMBER)
    return organization


@pytest.fixture
def globex(charlie) -> Organization:
    organization = Organization.objects.create(login="globex", name="Globex")
    Membership.objects.create(organization=organization, user=charlie, role=Membership.Role.OWNER)
    return organization


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def key_client(user: User, *permissions: str, rate_limit: int = 1000) -> APIClient:
    created = api_key_create(user=user, name="test key", permissions=list(permissions), rate_limit=rate_limit)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {created.plaintext}")
    client.api_key = created.api_key
    return client


@pytest.fixture(scope="session")
def redis_url():
    """A private redis-server on loopback for the whole session (Debian's package)."""
    from ingestion.jobs_bench.redis_server import redis_server_running

    with redis_server_running() as url:
        yield url
