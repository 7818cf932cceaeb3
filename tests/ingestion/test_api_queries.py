"""The read API's cost does not grow with the page: every list and detail endpoint runs
a fixed handful of queries (key, rate limit, the caller's repositories, a filter's
choice, the rows), whatever the page size, cursor or filter."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from rest_framework.pagination import Cursor

from benchmarks.api_load.populate import USERNAME, bench_data_ensure
from gitinsight.models import Membership, User
from ingestion.api.views import NewestFirstCursor
from ingestion.models import CheckRun, Commit, Issue, PullRequest, Repository
from tests.conftest import key_client

urlpatterns = [path("api/v1/", include("ingestion.api.urls"))]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def data():
    return bench_data_ensure(commits=400, pull_requests=80)


@pytest.fixture
def reader(data):
    client = key_client(User.objects.get(username=USERNAME), "read")
    client.get("/api/v1/repositories")  # the key's first use writes last_used (then once a minute)
    return client


def queries(client, path: str, params: dict | None = None) -> tuple[int, dict]:
    """The queries of one request, not counting the fixed ones that enter and leave its
    row-level security scope (gitinsight/database/tenant_scope.py)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params or {})
    assert response.status_code == 200, response.content
    return len([query for query in captured if not _scope_statement(query["sql"])]), response.json()


def _scope_statement(sql: str) -> bool:
    return any(call in sql for call in ("gitinsight_scope_enter_user(", "gitinsight_scope_enter_api_key(",
                                        "set_config('gitinsight.organizations'"))


LISTS = [
    ("/api/v1/commits", {}),
    ("/api/v1/commits", {"repository": "REPO"}),
    ("/api/v1/commits", {"author_login": "dev07"}),
    ("/api/v1/pull-requests", {}),
    ("/api/v1/pull-requests", {"state": "merged", "repository": "REPO"}),
    ("/api/v1/check-runs", {}),
    ("/api/v1/issues", {"state": "open"}),  # page numbers: a fixed page size of 50
    ("/api/v1/repositories", {}),
]
CURSORED = ("/api/v1/commits", "/api/v1/pull-requests", "/api/v1/check-runs")


@pytest.mark.parametrize(("path", "params"), LISTS)
def test_a_list_runs_the_same_queries_for_2_or_200_rows(reader, data, path, params):
    params = {key: data.repository_ids[0] if value == "REPO" else value for key, value in params.items()}
    small, page = queries(reader, path, {**params, "page_size": 2})
    large, _ = queries(reader, path, {**params, "page_size": 200})
    assert len(page["results"]) == 2 or not path.startswith(CURSORED)
    assert small == large <= 5


@pytest.mark.parametrize("path", ["/api/v1/commits", "/api/v1/pull-requests", "/api/v1/check-runs"])
def test_a_deep_cursor_page_costs_what_the_first_page_costs(reader, path):
    first, _ = queries(reader, path, {"page_size": 10})
    # The token a client gets after following `next` four fifths of the way down.
    model = {"/api/v1/commits": Commit, "/api/v1/pull-requests": PullRequest, "/api/v1/check-runs": CheckRun}[path]
    ids = sorted(model.objects.values_list("pk", flat=True))
    paginator = NewestFirstCursor()
    paginator.base_url = path
    deep = paginator.encode_cursor(Cursor(offset=0, reverse=False, position=str(ids[len(ids) // 5])))
    with CaptureQueriesContext(connection) as captured:
        response = reader.get(f"{deep}&page_size=5")
    assert response.status_code == 200 and len(response.json()["results"]) == 5
    assert len([query for query in captured if not _scope_statement(query["sql"])]) == first
    assert response.json()["results"][0]["id"] < ids[len(ids) // 5]


@pytest.mark.parametrize(
    ("path", "model"),
    [("commits", Commit), ("pull-requests", PullRequest), ("check-runs", CheckRun), ("issues", Issue),
     ("repositories", Repository)],
)
def test_a_detail_runs_three_queries(reader, data, path, model):
    some = model.objects.order_by("pk").first()
    count, body = queries(reader, f"/api/v1/{path}/{some.pk}")
    assert body["id"] == some.pk
    assert count <= 3  # key, rate limit, the row (scoped to the caller in the same query)


def test_the_list_still_shows_only_the_callers_repositories(data, charlie, globex):
    _, page = queries(key_client(charlie, "read"), "/api/v1/commits")
    assert page["results"] == []


@pytest.mark.parametrize("path", ["/api/v1/commits", "/api/v1/pull-requests", "/api/v1/check-runs", "/api/v1/issues"])
def test_filtering_by_repository_costs_no_query(reader, data, path):
    # The filter checks its value against the repository ids the list reads anyway.
    plain, _ = queries(reader, path)
    filtered, page = queries(reader, path, {"repository": data.repository_ids[0]})
    assert filtered == plain
    assert {row["repository"] for row in page["results"]} <= {data.repository_ids[0]}


def test_a_repository_filter_refuses_another_organizations_id_like_a_missing_one(reader, charlie, globex):
    theirs = Repository.objects.create(organization=globex, owner="globex", name="other", full_name="globex/other")
    for value in (theirs.pk, 10**9, "one"):
        response = reader.get("/api/v1/pull-requests", {"repository": value})
        assert response.status_code == 400
        assert "Select a valid choice" in str(response.json()), value


def test_a_keys_list_reads_the_callers_repository_ids_in_the_statement_that_enters_its_scope(reader, data):
    with CaptureQueriesContext(connection) as captured:
        response = reader.get("/api/v1/commits", {"repository": data.repository_ids[1]})
    assert response.status_code == 200 and response.json()["results"]
    statements = [query["sql"] for query in captured if "set_config('gitinsight." not in query["sql"]]
    assert len(statements) == 2  # the key and its scope with the ids, the page
    assert "gitinsight_scope_enter_api_key(" in statements[0] and "FROM repositories" in statements[0]


def test_the_ids_entered_with_a_key_are_read_again_for_each_request(reader, data, charlie, globex):
    theirs = Repository.objects.create(organization=globex, owner="globex", name="tools", full_name="globex/tools")
    Commit.objects.create(repository=theirs, sha="d" * 40)
    client = key_client(charlie, "read")
    assert [row["sha"] for row in client.get("/api/v1/commits").json()["results"]] == ["d" * 40]
    Membership.objects.filter(user=charlie).delete()  # as another process would: this one never hears of it
    assert client.get("/api/v1/commits").json()["results"] == []
    assert client.get("/api/v1/commits", {"repository": theirs.pk}).status_code == 400


def test_an_operators_key_enters_every_repositorys_id(data, charlie, globex):
    theirs = Repository.objects.create(organization=globex, owner="globex", name="tools", full_name="globex/tools")
    operator = User.objects.create_user(username="operator", is_superuser=True)
    client = key_client(operator, "read")
    body = client.get("/api/v1/repositories", {"page_size": 100}).json()
    assert {row["id"] for row in body["results"]} == {*data.repository_ids, theirs.pk}
    assert client.get("/api/v1/commits", {"repository": theirs.pk}).status_code == 200
