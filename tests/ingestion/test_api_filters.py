"""The list filters copy and validate only the filters a query names, and plain equality
filters with valid values skip django-filter's form with the same answer."""

from __future__ import annotations

import pytest
from django.urls import include, path

from benchmarks.api_load.populate import USERNAME, bench_data_ensure
from gitinsight.models import User
from ingestion.api import filters
from ingestion.api.filters import CheckRunFilter, CommitFilter, PullRequestFilter
from ingestion.models import Commit, PullRequest, Repository
from tests.conftest import key_client

urlpatterns = [path("api/v1/", include("ingestion.api.urls"))]
pytestmark = pytest.mark.django_db


def test_a_filterset_for_a_query_holds_only_the_filters_it_names():
    named = CommitFilter(data={"author_login": "dev07", "committed_after": "2026-01-01T00:00:00Z"},
                         queryset=Commit.objects.none())
    assert set(named.filters) == {"author_login", "committed_after"}
    assert set(CommitFilter(queryset=Commit.objects.none()).filters) == set(CommitFilter.base_filters)


def test_a_named_filter_still_refuses_a_bad_value():
    filterset = PullRequestFilter(data={"updated_after": "yesterday"}, queryset=PullRequest.objects.none())
    assert not filterset.is_valid()
    assert "updated_after" in filterset.errors


def test_only_plain_equality_filters_take_the_short_way():
    assert set(filters._plain_filters(PullRequestFilter)) == {"repository", "state", "author_login", "head_sha",
                                                            "analysis_status"}
    # sha is a prefix, the dates are ranges, is_merge a boolean: django-filter keeps them.
    assert set(filters._plain_filters(CommitFilter)) == {"repository", "author_login", "author_email", "source"}
    assert {"pull_request", "repository", "status"} <= set(filters._plain_filters(CheckRunFilter))


@pytest.fixture
def reader():
    data = bench_data_ensure(commits=300, pull_requests=60)
    client = key_client(User.objects.get(username=USERNAME), "read")
    client.get("/api/v1/repositories")  # the key's first use writes last_used
    return client, data.repository_ids[0]


QUERIES = [
    ("/api/v1/pull-requests", {"state": "merged", "repository": "REPO"}, True),
    ("/api/v1/pull-requests", {"state": ["open", "closed"]}, True),  # the last value, as the form reads it
    ("/api/v1/pull-requests", {"author_login": " dev03 "}, True),  # stripped like the form's text field
    ("/api/v1/pull-requests", {"author_login": "", "repository": ""}, True),  # empty: no filter
    ("/api/v1/commits", {"author_login": "dev07", "source": "git"}, True),
    ("/api/v1/issues", {"state": "open", "repository": "REPO"}, True),
    ("/api/v1/pull-requests", {"state": "bogus"}, False),
    ("/api/v1/pull-requests", {"state": "null"}, False),
    ("/api/v1/pull-requests", {"repository": "one"}, False),
    ("/api/v1/pull-requests", {"repository": "1000000000"}, False),
    ("/api/v1/pull-requests", {"repository": " REPO"}, False),  # accepted, by django-filter
    ("/api/v1/pull-requests", {"author_login": "dev\x0003"}, False),
    ("/api/v1/pull-requests", {"state": "open", "merged": "true"}, False),
    ("/api/v1/pull-requests", {"state_reason": "x"}, False),
    ("/api/v1/check-runs", {"pull_request": "PR"}, True),
    ("/api/v1/check-runs", {"pull_request": "PR", "status": "completed"}, True),
    ("/api/v1/check-runs", {"pull_request": ""}, True),
    ("/api/v1/check-runs", {"pull_request": "1000000000"}, False),
    ("/api/v1/check-runs", {"pull_request": "THEIR_PR"}, False),  # another organization's: the same 400
    ("/api/v1/check-runs", {"pull_request": " PR"}, False),
    ("/api/v1/check-runs", {"pull_request": "one"}, False),
    ("/api/v1/repositories", {"organization": "bench-api", "ordering": "-stars"}, True),
    ("/api/v1/repositories", {"ordering": "full_name"}, True),
    ("/api/v1/repositories", {"ordering": ""}, True),
    ("/api/v1/repositories", {"organization": "globex"}, True),  # another organization's: nothing
    ("/api/v1/repositories", {"ordering": "-stars,full_name"}, False),
    ("/api/v1/repositories", {"ordering": "description"}, False),
    ("/api/v1/repositories", {"language": "Python"}, False),  # iexact
]


@pytest.fixture
def their_pull_request(globex):
    repository = Repository.objects.create(organization=globex, owner="globex", name="tools", full_name="globex/tools")
    return PullRequest.objects.create(repository=repository, github_id=1, number=1, title="Theirs")


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(("path", "query", "short"), QUERIES)
def test_plain_filters_answer_exactly_what_django_filter_answers(reader, their_pull_request, monkeypatch, path,
                                                                query, short):
    client, repository_id = reader
    ours = PullRequest.objects.filter(repository_id=repository_id, check_runs__isnull=False).first()
    names = {"REPO": repository_id, "THEIR_PR": their_pull_request.pk, "PR": ours.pk}

    def named(value: str) -> str:
        for name, pk in names.items():
            value = value.replace(name, str(pk))
        return value

    query = {name: named(value) if isinstance(value, str) else value for name, value in query.items()}
    taken = []
    plain_lookups = filters._plain_lookups
    monkeypatch.setattr(filters, "_plain_lookups", lambda *args: taken.append(plain_lookups(*args)) or taken[-1])
    fast = client.get(path, query)
    assert (taken[-1] is not None) == short
    monkeypatch.setattr(filters, "_plain_lookups", lambda *args: None)  # django-filter's way
    slow = client.get(path, query)
    assert (fast.status_code, fast.json()) == (slow.status_code, slow.json())
    assert fast.status_code == 200 or not short
