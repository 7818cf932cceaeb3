"""The cast, as in healthchecks' tests: alice owns the "acme" organization, bob is a
member of it, charlie belongs to "globex" only. Everything runs on the real PostgreSQL."""

import pytest
from django.conf import settings
from django.db import connections
from rest_framework.test import APIClient

from gitinsight.database.tenant_scope import SYSTEM, scope_reset, scope_set
from gitinsight.models import Membership, Organization, User
from gitinsight.services.api_keys import api_key_create


def _connect_as(user_settings: dict) -> None:
    default = connections["default"]
    default.close()
    default.settings_dict.update(USER=user_settings["USER"], PASSWORD=user_settings.get("PASSWORD", ""))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test database is created, migrated and dropped by the owner role (the runtime
    role may not create databases or tables); see django_db_setup below."""
    if settings.DATABASE_OWNER and settings.DATABASE_OWNER["USER"] != settings.DATABASE_RUNTIME_USER:
        _connect_as(settings.DATABASE_OWNER)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The tests themselves run as the runtime role, as the web server and workers do:
    what they may not do (alter the audit log, create tables) fails as it would there.
    Work that needs the owner says so (gitinsight.database.owner.as_owner)."""
    split = settings.DATABASE_OWNER and settings.DATABASE_OWNER["USER"] != settings.DATABASE_RUNTIME_USER
    if split:
        _connect_as({"USER": settings.DATABASE_RUNTIME_USER, "PASSWORD": settings.DATABASE_RUNTIME_PASSWORD})
    yield
    if split:
        _connect_as(settings.DATABASE_OWNER)  # to drop the test database


@pytest.fixture(scope="module")
def owner_connection(django_db_setup):
    """For a module of tests of what only the owner role does (partition upkeep,
    migrations): its tests connect as the owner, so that work runs inside the test's own
    transaction and is rolled back with it."""
    split = settings.DATABASE_OWNER and settings.DATABASE_OWNER["USER"] != settings.DATABASE_RUNTIME_USER
    if split:
        _connect_as(settings.DATABASE_OWNER)
    yield
    if split:
        _connect_as({"USER": settings.DATABASE_RUNTIME_USER, "PASSWORD": settings.DATABASE_RUNTIME_PASSWORD})


@pytest.fixture(autouse=True)
def tenant_scope_system(django_db_blocker):
    """Tests arrange their rows and call services as the operator would, in the system scope
    of row-level security (gitinsight/database/tenant_scope.py). What they ask of the web
    goes through the middleware and sees its user's organizations only, and a job runs in
    the scope of whoever enqueued it; tests of what the scope hides enter their own."""
    with django_db_blocker.unblock():
        token = scope_set(SYSTEM)
    yield
    with django_db_blocker.unblock():
        scope_reset(token)


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
    from benchmarks.jobs.redis_server import redis_server_running

    with redis_server_running() as url:
        yield url
