"""A process remembers the keys it has authenticated, yet every request still asks the database
whether its key is usable and whose rows it may see: nothing a key may do is remembered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gitinsight.database.tenant_scope import tenant_scope
from gitinsight.models import ApiKey, Membership, User
from tests.conftest import key_client
from tests.tenant_fixtures import tenant_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def remembered(alice, acme):
    """alice's key, used once: this process knows it now."""
    client = key_client(alice, "read", "write", "admin")
    assert client.get("/api/v1/me").status_code == 200
    return client


def test_a_known_key_asks_nothing_of_the_orm_only_the_one_statement_that_enters_its_scope(remembered):
    with CaptureQueriesContext(connection) as captured:
        assert remembered.get("/api/v1/me").status_code == 200
    key_reads = [q["sql"] for q in captured if '"api_keys"' in q["sql"] or "gitinsight_scope_enter" in q["sql"]]
    assert len(key_reads) == 1
    assert "gitinsight_scope_enter_api_key(" in key_reads[0]


def test_a_known_key_revoked_elsewhere_is_refused_on_its_next_request(remembered):
    # As another process would: this one never hears of it.
    ApiKey.objects.filter(pk=remembered.api_key.pk).update(is_active=False, revoked_at=timezone.now())
    response = remembered.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "This API key has been revoked."


def test_a_known_key_is_refused_the_moment_it_expires(remembered):
    ApiKey.objects.filter(pk=remembered.api_key.pk).update(expires_at=timezone.now() - timedelta(milliseconds=1))
    response = remembered.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "This API key has expired."


def test_a_known_key_of_a_deactivated_user_is_refused(remembered, alice):
    User.objects.filter(pk=alice.pk).update(is_active=False)
    response = remembered.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "The owner of this API key is inactive."


def test_a_known_key_of_a_deleted_key_is_unknown(remembered):
    ApiKey.objects.filter(pk=remembered.api_key.pk).delete()
    response = remembered.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Unknown API key."


def test_a_known_key_narrowed_to_read_can_no_longer_write(remembered):
    ApiKey.objects.filter(pk=remembered.api_key.pk).update(permissions=["read"])
    response = remembered.post("/api/v1/api-keys", {"name": "more"}, format="json")
    assert response.status_code == 403
    assert "scope" in response.json()["error"]["message"]


def test_a_known_keys_user_removed_from_an_organization_stops_seeing_it_at_once():
    tenant = tenant_create("entryalpha", number=11)
    client = key_client(tenant.user, "read")
    assert [r["full_name"] for r in client.get("/api/v1/repositories").json()["results"]] == ["entryalpha/repo"]

    Membership.objects.filter(user=tenant.user).delete()

    assert client.get("/api/v1/repositories").json()["results"] == []


@pytest.mark.django_db(transaction=True)
def test_a_keys_scope_does_not_outlive_its_request_on_a_reused_connection():
    """Autocommit, as in production: the scope is a session setting of the connection, which
    the next request, or the next key, reuses."""
    alpha, beta = tenant_create("leakalpha", number=12), tenant_create("leakbeta", number=13)
    alpha_client, beta_client = key_client(alpha.user, "read"), key_client(beta.user, "read")

    def titles() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT title FROM pull_requests")
            return [title for (title,) in cursor.fetchall()]

    with tenant_scope(None):
        for client, mine, theirs in [(beta_client, "leakbeta", "leakalpha"), (alpha_client, "leakalpha", "leakbeta"),
                                     (beta_client, "leakbeta", "leakalpha")]:
            names = [r["full_name"] for r in client.get("/api/v1/repositories").json()["results"]]
            assert names == [f"{mine}/repo"], theirs
            assert titles() == []  # the connection shows nothing between requests

        ApiKey.objects.filter(pk=beta_client.api_key.pk).update(is_active=False)
        assert beta_client.get("/api/v1/repositories").status_code == 401
        assert titles() == []
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('gitinsight.organizations'), current_setting('gitinsight.system')")
            assert cursor.fetchone() == ("", "off")


def test_each_request_gets_its_own_copy_of_the_key_and_its_user(remembered):
    from gitinsight.security import api_key_entry

    digest = next(d for d, known in api_key_entry._known.items() if known.api_key.pk == remembered.api_key.pk)
    known = api_key_entry._known[digest].api_key
    one, other = api_key_entry.api_key_enter(digest), api_key_entry.api_key_enter(digest)
    assert one is not other and one.user is not other.user and one._state is not other._state
    assert one._state.fields_cache is not known._state.fields_cache
    one.name, one.user.username = "changed by one request", "changed"
    assert (other.name, other.user.username) == (known.name, known.user.username) == (known.name, "alice")
    assert (one.pk, one.user.pk, sorted(other.permissions)) == (known.pk, known.user.pk, ["admin", "read", "write"])
