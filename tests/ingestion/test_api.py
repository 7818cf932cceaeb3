# Fixtures are imported from tests.fakes.fixtures, so test arguments shadow those imports.
# ruff: noqa: F811
"""The ingestion API: connecting a repository starts a backfill (against the fake GitHub
over real HTTP), and every read endpoint shows only the caller's organizations' data."""

from __future__ import annotations

import pytest
from django.urls import include, path

from gitinsight.models import AuditLog
from ingestion.models import BackfillRun, CheckRun, Commit, Issue, Milestone, PullRequest, Repository
from ingestion.services.github_api.auth import client_for_repository
from ingestion.services.github_api.backfill import backfill_run
from tests.conftest import key_client
from tests.fakes.fixtures import (  # noqa: F401 - fixtures
    fake_github,
    github_data,
    github_settings,
    hello_world,
    policy,
    sleep,
)

urlpatterns = [path("api/v1/", include("ingestion.api.urls"))]
pytestmark = pytest.mark.urls(__name__)

ENDPOINTS = {
    "repositories": Repository,
    "commits": Commit,
    "pull-requests": PullRequest,
    "issues": Issue,
    "milestones": Milestone,
    "check-runs": CheckRun,
}


@pytest.fixture
def backfilled(github_settings, fake_github, hello_world, policy) -> Repository:
    backfill_run(backfill=BackfillRun.objects.create(repository=hello_world),
                 client=client_for_repository(hello_world, policy=policy))
    hello_world.refresh_from_db()
    return hello_world


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_charlie_sees_nothing_of_acme_through_any_endpoint(backfilled, charlie, globex):
    client = key_client(charlie, "read")
    for endpoint, model in ENDPOINTS.items():
        assert rows(client.get(f"/api/v1/{endpoint}")) == [], endpoint
        some = model.objects.first()
        assert client.get(f"/api/v1/{endpoint}/{some.pk}").status_code == 404, endpoint
    assert client.get(f"/api/v1/repositories/{backfilled.pk}/backfills").status_code == 404


def test_bob_sees_acme_data_on_every_endpoint(backfilled, bob):
    client = key_client(bob, "read")
    for endpoint, model in ENDPOINTS.items():
        listed = rows(client.get(f"/api/v1/{endpoint}", {"page_size": 500}))
        assert len(listed) == model.objects.count(), endpoint
        some = model.objects.first()
        assert client.get(f"/api/v1/{endpoint}/{some.pk}").json()["id"] == some.pk


def test_large_tables_page_with_cursors(backfilled, alice):
    client = key_client(alice, "read")
    first = client.get("/api/v1/commits", {"page_size": 5}).json()
    second = client.get(first["next"]).json()
    assert len(first["results"]) == 5 and "count" not in first
    assert not {c["sha"] for c in first["results"]} & {c["sha"] for c in second["results"]}


def test_lists_are_filtered(backfilled, alice):
    client = key_client(alice, "read")
    merged = rows(client.get("/api/v1/pull-requests", {"state": "merged"}))
    assert [pr["number"] for pr in merged] == [5]
    failing = rows(client.get("/api/v1/check-runs", {"conclusion": "failure"}))
    assert [(run["name"], run["pull_request"]) for run in failing] == [
        ("build", PullRequest.objects.get(number=2).pk)
    ]
    plain = rows(client.get("/api/v1/issues", {"is_pull_request": "false"}))
    assert len(plain) == 4
    assert rows(client.get("/api/v1/repositories", {"organization": "globex"})) == []


def test_connecting_a_repository_starts_its_backfill(github_settings, fake_github, alice, acme,
                                                     django_capture_on_commit_callbacks):
    client = key_client(alice, "read", "write")
    with django_capture_on_commit_callbacks() as on_commit:
        response = client.post("/api/v1/repositories", {"full_name": "octocat/Hello-World"}, format="json")

    assert response.status_code == 202, response.content
    # Only the enqueued backfill runs (synchronously in tests): the higher apps' signal
    # receivers it would trigger are theirs to test.
    assert len(on_commit) == 1
    on_commit[0]()
    backfill = BackfillRun.objects.get(pk=response.json()["id"])
    assert backfill.status == BackfillRun.Status.COMPLETED, backfill.error
    assert backfill.requested_by == alice and backfill.repository.organization == acme
    assert PullRequest.objects.filter(repository=backfill.repository).count() == 5
    audit = AuditLog.objects.get(action="repository.connect")
    assert audit.user == alice and audit.details["full_name"] == "octocat/Hello-World"
    assert rows(client.get(f"/api/v1/repositories/{backfill.repository.pk}/backfills"))[0]["status"] == "completed"


def test_only_owners_and_admins_connect_repositories(github_settings, bob, acme):
    response = key_client(bob, "read", "write").post(
        "/api/v1/repositories", {"full_name": "octocat/Hello-World", "organization": acme.pk}, format="json"
    )
    assert response.status_code == 403
    assert not Repository.objects.exists()


def test_nobody_connects_for_an_organization_they_are_not_in(github_settings, charlie, globex, acme):
    response = key_client(charlie, "read", "write").post(
        "/api/v1/repositories", {"full_name": "octocat/Hello-World", "organization": acme.pk}, format="json"
    )
    assert response.status_code == 404


def test_a_read_only_key_cannot_connect(github_settings, alice, acme):
    response = key_client(alice, "read").post("/api/v1/repositories", {"full_name": "a/b"}, format="json")
    assert response.status_code == 403


def test_a_repository_of_another_organization_is_refused(github_settings, hello_world, charlie, globex):
    # The operator allowed the token for both; acme connected it first.
    github_settings.GITHUB_TOKEN_REPOSITORIES = ["acme:octocat/Hello-World", "globex:octocat/Hello-World"]
    response = key_client(charlie, "read", "write").post(
        "/api/v1/repositories", {"full_name": "OctoCat/hello-world"}, format="json"
    )
    assert response.status_code == 400
    assert "another organization" in str(response.json())
    assert Repository.objects.get().organization.login == "acme"


def test_a_repository_nobody_allowed_for_the_organization_is_refused(github_settings, fake_github, charlie, globex):
    response = key_client(charlie, "read", "write").post(
        "/api/v1/repositories", {"full_name": "octocat/Hello-World"}, format="json"
    )
    assert response.status_code == 400
    assert "GITHUB_TOKEN_REPOSITORIES" in str(response.json())
    assert not Repository.objects.exists() and fake_github.requests == []
