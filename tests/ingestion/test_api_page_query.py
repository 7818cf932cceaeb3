"""A list's page query (and a detail's row) compiled once per shape answers exactly what the
ORM answers: the same JSON for every list, filter, page size, cursor and row, each caller's
own rows, and the ORM's way for any shape whose statement does not bind plainly."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from rest_framework.renderers import JSONRenderer

from benchmarks.api_load.populate import USERNAME, bench_data_ensure
from gitinsight.models import User
from ingestion.api import page_query, serializers
from ingestion.api.page_query import PageRows
from ingestion.models import CheckRun, Commit, Issue, PullRequest, Repository
from tests.conftest import key_client

urlpatterns = [path("api/v1/", include("ingestion.api.urls"))]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def data():
    page_query.compiled_clear()
    yield bench_data_ensure(commits=300, pull_requests=60)
    page_query.compiled_clear()


@pytest.fixture
def reader(data):
    client = key_client(User.objects.get(username=USERNAME), "read")
    client.get("/api/v1/repositories")  # the key's first use writes last_used
    return client


# bench_api's lists, the filter tests' queries, page sizes and page numbers.
LISTS = [
    ("/api/v1/commits", {}, True),
    ("/api/v1/commits", {"repository": "REPO"}, True),
    ("/api/v1/commits", {"author_login": "dev07"}, True),
    ("/api/v1/commits", {"author_login": "dev07", "source": "git"}, True),
    ("/api/v1/commits", {"page_size": 7}, True),
    ("/api/v1/commits", {"committed_after": "2020-01-01T00:00:00Z"}, False),  # django-filter's way
    ("/api/v1/pull-requests", {}, True),
    ("/api/v1/pull-requests", {"state": "open"}, True),
    ("/api/v1/pull-requests", {"state": "merged", "repository": "REPO"}, True),
    ("/api/v1/pull-requests", {"state": ["open", "closed"]}, True),
    ("/api/v1/pull-requests", {"author_login": " dev03 "}, True),
    ("/api/v1/pull-requests", {"author_login": "", "repository": ""}, True),
    ("/api/v1/pull-requests", {"state": "bogus"}, False),  # a 400, both ways
    ("/api/v1/pull-requests", {"state": "open", "merged": "true"}, False),
    ("/api/v1/check-runs", {}, True),
    ("/api/v1/check-runs", {"pull_request": "PR"}, True),
    ("/api/v1/check-runs", {"pull_request": "PR", "repository": "REPO"}, True),
    ("/api/v1/issues", {}, True),
    ("/api/v1/issues", {"state": "open"}, True),
    ("/api/v1/issues", {"state": "open", "repository": "REPO"}, True),
    ("/api/v1/issues", {"page": 2}, True),
    ("/api/v1/issues", {"page": 999}, True),  # a 404, both ways
    ("/api/v1/milestones", {}, True),
    ("/api/v1/repositories", {}, True),
    ("/api/v1/repositories", {"page": 2, "page_size": 3}, True),
    ("/api/v1/repositories", {"organization": "bench-api", "ordering": "-stars"}, True),
    ("/api/v1/repositories", {"ordering": "-stars,full_name"}, False),
    ("/api/v1/repositories", {"ordering": "bogus"}, False),
]


def _params(data, params: dict) -> dict:
    values = {"REPO": str(data.repository_ids[0]),
              "PR": str(PullRequest.objects.filter(check_runs__isnull=False).values_list("pk", flat=True).first())}
    return {key: values.get(value, value) if isinstance(value, str) else value for key, value in params.items()}


def _answer(response) -> tuple[int, object]:
    return response.status_code, response.json()


@pytest.mark.parametrize(("path", "params", "compiles"), LISTS)
def test_a_compiled_page_answers_what_the_orm_answered(reader, data, path, params, compiles):
    params = _params(data, params)
    page_query.compiled_clear()  # the reader's first request compiled the repositories' list
    learned = _answer(reader.get(path, params))  # the ORM's answer; the shape is learned
    assert bool(page_query._compiled) == compiles  # django-filter's way is the ORM's, every time
    compiled = _answer(reader.get(path, params))
    assert compiled == learned


@pytest.mark.parametrize("path", ["/api/v1/commits", "/api/v1/pull-requests", "/api/v1/check-runs"])
def test_following_next_and_previous_links_walks_the_same_pages(reader, data, path):
    def walk() -> tuple[list, list]:
        forward, url = [], f"{path}?page_size=25"
        while url:
            body = reader.get(url).json()
            forward.append([row["id"] for row in body["results"]])
            url = body["next"]
        backward, url = [], body["previous"]
        while url:
            body = reader.get(url).json()
            backward.append([row["id"] for row in body["results"]])
            url = body["previous"]
        return forward, backward

    forward, backward = walk()  # the first page, cursor pages and reversed ones: learned
    assert page_query._compiled
    assert walk() == (forward, backward)
    ids = [pk for page in forward for pk in page]
    assert ids == sorted(ids, reverse=True) and len(ids) == len(set(ids)) and len(forward) > 2
    assert backward == forward[-2::-1]


def test_the_compiled_statement_is_the_one_the_orm_sent(reader, data):
    def page_statements() -> list[tuple[str, str]]:
        with CaptureQueriesContext(connection) as captured:
            reader.get("/api/v1/commits", {"author_login": "dev07"})
        return [query["sql"] for query in captured if query["sql"].startswith('SELECT "commits"')]

    learned = page_statements()
    assert page_statements() == learned and len(learned) == 1
    assert '"commits"."author_login" = ' in learned[0]


def test_each_caller_gets_the_rows_of_the_values_it_binds(data):
    base = Commit.objects.values("id", "repository_id").order_by("-id")
    first, second = data.repository_ids[:2]
    mine = list(PageRows(base).filter(repository_id__in=[first])[:50])
    assert page_query._compiled  # learned from the first
    theirs = list(PageRows(base).filter(repository_id__in=[second])[:50])
    assert mine and {row["repository_id"] for row in mine} == {first}
    assert theirs and {row["repository_id"] for row in theirs} == {second}
    assert theirs == list(base.filter(repository_id__in=[second])[:50])


def test_rows_and_counts_equal_the_orms_for_ranges_and_orderings(data):
    base = PullRequest.objects.values("id", "state", "labels", "created_at").order_by("-id")
    middle = PullRequest.objects.order_by("id").values_list("id", flat=True)[30]
    for _ in range(2):  # learned, then compiled
        rows = PageRows(base).filter(repository_id__in=data.repository_ids).order_by("id").filter(id__gt=str(middle))
        orm = base.filter(repository_id__in=data.repository_ids).order_by("id").filter(id__gt=middle)
        assert list(rows[3:13]) == list(orm[3:13])
        assert rows.count() == orm.count()
        assert list(PageRows(base).filter(state="open")) == list(base.filter(state="open"))


def test_what_it_cannot_bind_goes_the_orms_way(data):
    base = Commit.objects.values("id").order_by("-id")
    assert not isinstance(PageRows(base).filter(is_merge=True), PageRows)  # a boolean's SQL may be the column
    assert not isinstance(PageRows(base).filter(repository__organization__login="x"), PageRows)  # a join
    assert not isinstance(PageRows(base).filter(sha__startswith="ab"), PageRows)
    assert not isinstance(PageRows(base).filter(repository_id__in=[]), PageRows)  # no statement at all
    with pytest.raises(ValueError, match="expected a number"):  # where the ORM fails, and how
        PageRows(base).filter(id__lt="not a number")


def test_a_shape_whose_statement_binds_other_values_is_never_compiled(data):
    # The base's own parameter comes first in the statement: never the values PageRows binds.
    base = Commit.objects.filter(author_login="dev07").values("id", "author_login").order_by("-id")
    for _ in range(2):
        rows = list(PageRows(base).filter(repository_id__in=data.repository_ids)[:20])
        assert rows == list(base.filter(repository_id__in=data.repository_ids)[:20])
    assert not page_query._compiled and page_query._refused


DETAILS = [("commits", Commit, serializers.CommitOutput), ("pull-requests", PullRequest, serializers.PullRequestOutput),
           ("check-runs", CheckRun, serializers.CheckRunOutput), ("issues", Issue, serializers.IssueOutput),
           ("repositories", Repository, serializers.RepositoryOutput)]


@pytest.mark.parametrize(("path", "model", "serializer"), DETAILS)
def test_a_compiled_detail_renders_what_the_serializer_renders_of_the_row(reader, data, path, model, serializer):
    for row in model.objects.order_by("?")[:3]:  # the first learned, the others compiled
        response = reader.get(f"/api/v1/{path}/{row.pk}")
        assert response.status_code == 200
        assert response.content == JSONRenderer().render(serializer(row).data)
    assert page_query._compiled
    assert reader.get(f"/api/v1/{path}/{10**9}").status_code == 404


def test_a_compiled_detail_shows_each_caller_only_their_organizations_rows(reader, data, charlie, globex):
    theirs = Commit.objects.create(repository=Repository.objects.create(
        organization=globex, owner="globex", name="tools", full_name="globex/tools"), sha="c" * 40)
    mine = Commit.objects.filter(repository_id__in=data.repository_ids).first()
    assert reader.get(f"/api/v1/commits/{mine.pk}").status_code == 200  # learned for a member
    assert reader.get(f"/api/v1/commits/{theirs.pk}").status_code == 404
    other = key_client(charlie, "read")
    assert other.get(f"/api/v1/commits/{theirs.pk}").json()["sha"] == "c" * 40
    assert other.get(f"/api/v1/commits/{mine.pk}").status_code == 404


def test_a_column_of_the_row_a_foreign_key_points_to_binds_like_a_column(data):
    base = Commit.objects.values("id", "repository_id").order_by("-id")
    name = Repository.objects.get(pk=data.repository_ids[1]).full_name
    for _ in range(2):  # learned, then compiled
        rows = PageRows(base).filter(repository__full_name=name)
        assert isinstance(rows, PageRows)
        assert list(rows[:30]) == list(base.filter(repository__full_name=name)[:30])
        assert {row["repository_id"] for row in rows[:30]} == {data.repository_ids[1]}


@pytest.mark.parametrize("text", ['[]', '["bug", "help wanted"]', '{"a": [1, 2.5, null, true]}', '"x"', "1", "-0.5e3",
                                  " [1]", "[1] ", "\ufeff[1]", "[1][2]", "nonsense", "", "{", None, b"[1]",
                                  "123456789012345678901234567890", "1e400", '{"a": 1, "a": 2}', '"\\ud800"',
                                  '"caf\u00e9 \\u2028 \ud83d\ude00"', "NaN", "[1,]", "-9223372036854775809",
                                  "[0.1, 1e-05, 12345678901234567.0]"])
def test_json_columns_decode_as_the_json_field_decodes(text):
    field = PullRequest._meta.get_field("labels")
    expected = field.from_db_value(text, None, connection)
    decoded = page_query._json_text(field.from_db_value)(text, None, connection)
    assert repr(decoded) == repr(expected)  # the same types too (an int stays an int), and NaN is NaN


def test_past_its_size_the_cache_leaves_new_shapes_to_the_orm(data, monkeypatch):
    monkeypatch.setattr(page_query, "SHAPES_MAX", 3)
    base = Commit.objects.values("id").order_by("-id")
    for page in range(6):  # each page's limit and offset is a shape of its own
        rows = PageRows(base).filter(repository_id__in=data.repository_ids)[page * 10:page * 10 + 10]
        assert list(rows) == list(base.filter(repository_id__in=data.repository_ids)[page * 10:page * 10 + 10])
    assert len(page_query._compiled) == 3
