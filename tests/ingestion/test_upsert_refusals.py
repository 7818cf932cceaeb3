# Fixtures are imported from tests.fakes.fixtures, so test arguments shadow those imports.
# ruff: noqa: F811
"""Every source (the shared upsert, GH Archive, the REST backfill) refuses a payload that
names a row of another repository: the row stays where it is, unchanged, and the refusal
is reported in words."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from ingestion.models import BackfillRun, PullRequest, Repository
from ingestion.services import pull_request_upsert, rows
from ingestion.services.gharchive import archive_import
from ingestion.services.github_api.auth import client_for_repository
from ingestion.services.github_api.backfill import backfill_run
from tests.fakes.fixtures import (  # noqa: F401 - fixtures
    fake_github,
    github_data,
    github_settings,
    hello_world,
    policy,
    sleep,
)
from tests.ingestion.conftest import example

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(globex) -> Repository:
    return Repository.objects.create(organization=globex, owner="globex", name="secret", full_name="globex/secret",
                                     github_id=555)


@pytest.fixture
def rocket(acme) -> Repository:
    return Repository.objects.create(organization=acme, owner="acme", name="rocket", full_name="acme/rocket",
                                     github_id=777)


@pytest.fixture
def globex_pull_request(secret) -> PullRequest:
    return PullRequest.objects.create(repository=secret, github_id=4242, number=1, title="globex's plans",
                                      head_sha="a" * 40)


def test_the_upsert_refuses_to_move_a_row_to_another_repository(globex_pull_request, rocket):
    before = model_to_dict(globex_pull_request)

    with pytest.raises(rows.UpsertRefused) as refused:
        rows.row_upsert(PullRequest, lookup={"github_id": 4242}, scope=("repository_id",),
                   fields={"repository_id": rocket.pk, "number": 9, "title": "acme's now"})

    globex_pull_request.refresh_from_db()
    assert model_to_dict(globex_pull_request) == before
    assert str(refused.value) == (
        "pull request 4242 belongs to another repository; a payload never moves a row between "
        "repositories or organizations, so nothing was changed"
    )


def test_the_upsert_still_updates_a_row_of_the_same_repository(globex_pull_request, secret):
    stored = rows.row_upsert(PullRequest, lookup={"github_id": 4242}, scope=("repository_id",),
                        fields={"repository_id": secret.pk, "title": "globex's new plans"})

    assert (stored.row.pk, stored.row.title, stored.previous) == (
        globex_pull_request.pk, "globex's new plans", {"title": "globex's plans"}
    )


def test_a_gh_archive_event_naming_another_repositorys_pull_request_is_refused(globex_pull_request, rocket,
                                                                                examples):
    before = model_to_dict(globex_pull_request)
    payload = example(examples, "pull_request", "opened")
    payload["pull_request"].update(id=4242, number=9, title="acme's now")
    event = {"id": "1", "type": "PullRequestEvent", "repo": {"id": rocket.github_id, "name": rocket.full_name},
             "payload": {"action": "opened", "number": 9, "pull_request": payload["pull_request"]},
             "created_at": "2026-01-01T00:00:00Z"}

    stats = archive_import([event])

    globex_pull_request.refresh_from_db()
    assert model_to_dict(globex_pull_request) == before
    assert (stats.imported, stats.refused) == (0, 1)
    assert "pull request 4242 belongs to another repository" in stats.errors[0]


def test_a_backfill_that_meets_another_repositorys_pull_request_is_refused(
    github_settings, fake_github, github_data, hello_world, policy, globex
):
    first = github_data.pulls[0]
    secret = Repository.objects.create(organization=globex, owner="globex", name="secret",
                                       full_name="globex/secret", github_id=555)
    stored = pull_request_upsert(repository=secret, data={**first, "milestone": None, "title": "globex's plans"})
    before = model_to_dict(stored)
    backfill = BackfillRun.objects.create(repository=hello_world)

    with pytest.raises(rows.UpsertRefused):
        backfill_run(backfill=backfill, client=client_for_repository(hello_world, policy=policy))

    backfill.refresh_from_db()
    stored.refresh_from_db()
    assert model_to_dict(stored) == before
    assert backfill.status == BackfillRun.Status.FAILED
    assert f"pull request {first['id']} belongs to another repository" in backfill.error
