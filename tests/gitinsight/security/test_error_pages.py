import pytest

from tests.conftest import key_client

pytestmark = pytest.mark.django_db


def test_an_unknown_api_route_is_a_json_404(alice):
    response = key_client(alice, "read").get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_an_unauthenticated_api_call_is_a_json_401(api):
    response = api.get("/api/v1/me")
    assert response.status_code in (401, 403)
    assert "error" in response.json()


def test_an_unknown_page_is_a_plain_404_without_internals(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Traceback" not in response.content


def test_the_openapi_schema_and_docs_are_served_locally(client, alice):
    client.force_login(alice)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/api-keys" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
