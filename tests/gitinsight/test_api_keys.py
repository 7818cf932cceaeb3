from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from gitinsight.models import ApiKey, AuditLog
from gitinsight.services.api_keys import api_key_create, api_key_for_plaintext, api_key_hash, api_key_revoke
from tests.conftest import key_client

pytestmark = pytest.mark.django_db


def test_it_stores_only_the_hash_of_a_new_key(alice):
    created = api_key_create(user=alice, name="ci", permissions=["read"])
    stored = ApiKey.objects.get(pk=created.api_key.pk)
    assert stored.key_hash == api_key_hash(created.plaintext)
    assert created.plaintext not in {stored.key_hash, stored.prefix, stored.name}


def test_it_finds_a_key_by_its_plaintext_and_by_nothing_else(alice):
    created = api_key_create(user=alice, name="ci", permissions=["read"])
    assert api_key_for_plaintext(created.plaintext) == created.api_key
    near_miss = created.plaintext[:-1] + ("A" if created.plaintext[-1] != "A" else "B")
    for wrong in (near_miss, created.api_key.prefix, created.api_key.key_hash, ""):
        assert api_key_for_plaintext(wrong) is None


def test_a_valid_read_key_reads_me(alice):
    client = key_client(alice, "read")
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_it_updates_last_used(alice):
    client = key_client(alice, "read")
    client.get("/api/v1/me")
    client.api_key.refresh_from_db()
    assert client.api_key.last_used is not None


def test_it_rejects_an_unknown_key(api, alice):
    api.credentials(HTTP_AUTHORIZATION="Bearer gi_not-a-real-key")
    response = api.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Unknown API key."


def test_it_rejects_a_malformed_authorization_header(api, alice):
    api.credentials(HTTP_AUTHORIZATION="Bearer two parts")
    response = api.get("/api/v1/me")
    assert response.status_code == 401
    assert "Malformed" in response.json()["error"]["message"]


def test_it_rejects_an_expired_key(alice):
    client = key_client(alice, "read")
    ApiKey.objects.filter(pk=client.api_key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "This API key has expired."


def test_it_rejects_a_revoked_key(alice):
    client = key_client(alice, "read")
    api_key_revoke(api_key=client.api_key, by=alice)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "This API key has been revoked."


def test_a_read_key_cannot_write(alice):
    client = key_client(alice, "read")
    response = client.post("/api/v1/api-keys", {"name": "new"}, format="json")
    assert response.status_code == 403
    assert "scope" in response.json()["error"]["message"]
    assert ApiKey.objects.count() == 1


def test_an_admin_key_creates_a_key_and_sees_it_once(alice):
    client = key_client(alice, "admin")
    response = client.post("/api/v1/api-keys", {"name": "deploy", "permissions": ["read", "write"]}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["key"].startswith("gi_")
    listing = client.get("/api/v1/api-keys").json()
    assert all("key" not in item for item in listing)
    assert AuditLog.objects.filter(action="api_key.create", resource_id=str(body["id"])).exists()


def test_it_rejects_unknown_scopes_with_a_clear_error(alice):
    client = key_client(alice, "admin")
    response = client.post("/api/v1/api-keys", {"name": "x", "permissions": ["root"]}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "permissions" in response.json()["error"]["details"]


def test_revoking_a_key_through_the_api_is_audited(alice):
    client = key_client(alice, "admin")
    other = api_key_create(user=alice, name="old", permissions=["read"]).api_key
    response = client.post(f"/api/v1/api-keys/{other.pk}/revoke")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert AuditLog.objects.filter(action="api_key.revoke", resource_id=str(other.pk), user=alice).exists()


def test_a_user_cannot_revoke_someone_elses_key(alice, bob):
    bobs_key = api_key_create(user=bob, name="bob's", permissions=["read"]).api_key
    response = key_client(alice, "admin").post(f"/api/v1/api-keys/{bobs_key.pk}/revoke")
    assert response.status_code == 404
    bobs_key.refresh_from_db()
    assert bobs_key.is_active


def test_it_throttles_past_the_hourly_limit_with_retry_after(alice):
    client = key_client(alice, "read", rate_limit=3)
    statuses = [client.get("/api/v1/me").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/me")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert response.json()["error"]["code"] == "throttled"


# --- keys made with keys, and the server's ceilings -----------------------------------------

def test_an_admin_key_cannot_mint_a_never_expiring_key(alice, settings):
    client = key_client(alice, "admin")  # never expires itself
    response = client.post("/api/v1/api-keys", {"name": "forever", "permissions": ["read"], "expires_at": None},
                           format="json")

    assert response.status_code == 201
    expires_at = ApiKey.objects.get(pk=response.json()["id"]).expires_at
    assert expires_at is not None
    days = settings.API_KEY_CREATED_BY_KEY_MAX_DAYS
    assert timezone.now() + timedelta(days=days - 1) < expires_at <= timezone.now() + timedelta(days=days)


def test_a_key_cannot_create_a_key_that_outlives_it(alice):
    client = key_client(alice, "admin")
    ApiKey.objects.filter(pk=client.api_key.pk).update(expires_at=timezone.now() + timedelta(days=1))
    client.api_key.refresh_from_db()
    later = (timezone.now() + timedelta(days=30)).isoformat()

    response = client.post("/api/v1/api-keys", {"name": "later", "permissions": ["read"], "expires_at": later},
                           format="json")
    default = client.post("/api/v1/api-keys", {"name": "default", "permissions": ["read"]}, format="json")

    assert response.status_code == 400
    assert "outlive" in str(response.json()["error"]["details"])
    assert ApiKey.objects.get(pk=default.json()["id"]).expires_at == client.api_key.expires_at
    assert not ApiKey.objects.filter(name="later").exists()


def test_a_read_key_cannot_mint_an_admin_key(alice):
    response = key_client(alice, "read").post("/api/v1/api-keys", {"name": "root", "permissions": ["admin"]},
                                              format="json")
    assert response.status_code == 403
    assert not ApiKey.objects.filter(name="root").exists()


def test_a_key_never_grants_a_wider_scope_than_its_own(alice):
    from gitinsight.services.api_keys import ApiKeyRefused

    parent = api_key_create(user=alice, name="reader", permissions=["read"]).api_key
    with pytest.raises(ApiKeyRefused, match="wider"):
        api_key_create(user=alice, name="root", permissions=["admin"], created_by_key=parent)
    assert not ApiKey.objects.filter(name="root").exists()


def test_a_rate_limit_of_a_million_an_hour_is_refused(alice, settings):
    client = key_client(alice, "admin")
    with_key = client.post("/api/v1/api-keys", {"name": "fast", "rate_limit": 1_000_000}, format="json")
    session = APIClient()
    session.force_login(alice)
    with_session = session.post("/api/v1/api-keys", {"name": "fast", "rate_limit": 1_000_000}, format="json")

    for response in (with_key, with_session):
        assert response.status_code == 400
        assert f"{settings.API_KEY_MAX_RATE_LIMIT:,}" in str(response.json()["error"]["details"]["rate_limit"])
    assert not ApiKey.objects.filter(name="fast").exists()


def test_the_ceiling_holds_for_a_key_that_asked_for_more_before_there_was_one(alice, settings):
    client = key_client(alice, "read")
    ApiKey.objects.filter(pk=client.api_key.pk).update(rate_limit=1_000_000)
    settings.API_KEY_MAX_RATE_LIMIT = 3

    statuses = [client.get("/api/v1/me").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_keys_made_in_a_browser_session_may_be_any_scope_of_the_user_and_never_expire(alice):
    session = APIClient()
    session.force_login(alice)
    response = session.post("/api/v1/api-keys", {"name": "ci", "permissions": ["read", "write", "admin"]},
                            format="json")
    assert response.status_code == 201 and response.json()["expires_at"] is None
    assert AuditLog.objects.filter(action="api_key.create", resource_id=str(response.json()["id"])).exists()
