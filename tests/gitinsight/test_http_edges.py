"""Edge HTTP input on the API: bodies over Django's upload limit, JSON nested deeper than
Python parses, bytes that are not UTF-8, NUL characters in text and query strings. Each
is a 4xx with the API's JSON error, never a 500 or a stack trace."""

import json

import pytest
from django.test import Client

from gitinsight.models import ApiKey
from tests.conftest import key_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_admin(alice):
    return key_client(alice, "admin")


def post_raw(client, path: str, body: bytes, content_type: str = "application/json"):
    return client.generic("POST", path, body, content_type=content_type)


def assert_json_client_error(response, *statuses: int) -> dict:
    assert response.status_code in statuses, response.content[:300]
    body = response.json()
    assert "error" in body and "Traceback" not in response.content.decode(errors="replace")
    return body["error"]


def test_a_body_over_the_upload_limit_is_refused_with_413(alice_admin, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"name": "x" * 2000, "permissions": ["read"]}).encode()
    error = assert_json_client_error(post_raw(alice_admin, "/api/v1/api-keys", body), 413)
    assert "too large" in error["message"]
    assert not ApiKey.objects.filter(name__startswith="xxx").exists()


def test_json_nested_deeper_than_python_parses_is_a_400(alice_admin):
    body = b'{"name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    error = assert_json_client_error(post_raw(alice_admin, "/api/v1/api-keys", body), 400)
    assert "nested too deeply" in error["message"]


def test_a_body_that_is_not_utf8_is_a_400(alice_admin):
    assert_json_client_error(post_raw(alice_admin, "/api/v1/api-keys", b'{"name": "caf\xe9"}'), 400)


def test_a_nul_in_a_text_field_is_a_400_naming_the_field(alice_admin):
    body = json.dumps({"name": "a\u0000b", "permissions": ["read"]}).encode()
    error = assert_json_client_error(post_raw(alice_admin, "/api/v1/api-keys", body), 400)
    assert "name" in error["details"]


@pytest.mark.parametrize(
    "query",
    ["author_login=a%00b", "updated_after=2024-01-01T00:00:00%2B18:36", "q=%ff%fe", "label=%00", "min_stars=1e999",
     "repository=99999999999999999999", "page=99999999999999999999", "sha=%c0%80"],
)
@pytest.mark.parametrize("path", ["/api/v1/pull-requests", "/api/v1/issues", "/api/v1/commits", "/api/v1/repositories"])
def test_odd_query_strings_are_answered_without_a_server_error(alice_admin, path, query):
    response = alice_admin.get(f"{path}?{query}")
    assert response.status_code in (200, 400, 404), response.content[:300]
    if response.status_code != 200:
        assert "error" in response.json()


def test_a_search_for_a_nul_is_answered_without_a_server_error(alice_admin):
    response = alice_admin.get("/api/v1/search?q=a%00b")
    assert response.status_code in (200, 400)


def test_a_page_outside_the_api_with_a_nul_in_the_query_is_not_a_stack_trace():
    response = Client().get("/accounts/login/?next=%00")
    assert response.status_code in (200, 302, 400)
    assert b"Traceback" not in response.content
