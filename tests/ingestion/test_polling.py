# Fixtures are imported from tests.fakes.fixtures, so test arguments shadow those imports.
# ruff: noqa: F811
"""Polling against the fake GitHub over real HTTP."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone

from gitinsight.schedules import declared_schedules
from ingestion.models import PullRequest, Repository
from ingestion.services.polling import repositories_due
from ingestion.tasks import repositories_poll_task, repository_poll_task
from tests.fakes.fixtures import fake_github, github_data, github_settings, hello_world  # noqa: F401 - fixtures


def test_it_polls_due_repositories_and_skips_suspended_ones(github_settings, fake_github, hello_world):
    suspended = Repository.objects.create(organization=hello_world.organization, owner="octocat", name="Paused",
                                          full_name="octocat/Paused", monitoring_status="suspended")

    assert repositories_poll_task() == 1

    hello_world.refresh_from_db()
    assert hello_world.last_polled_at is not None and hello_world.failure_count == 0
    assert PullRequest.objects.filter(repository=hello_world).count() == 5
    assert not [r for r in fake_github.requests if r.path.startswith("/repos/octocat/Paused")]
    suspended.refresh_from_db()
    assert suspended.last_polled_at is None


def test_a_repository_polled_within_the_interval_is_not_due(github_settings, fake_github, hello_world):
    repository_poll_task(hello_world.pk)
    fake_github.requests.clear()

    assert repository_poll_task(hello_world.pk) == "not due"
    assert fake_github.requests == []
    later = timezone.now() + timedelta(minutes=6)
    assert list(repositories_due(now=later)) == [hello_world]


def test_failures_count_up_and_past_the_threshold_set_error(github_settings, fake_github, acme):
    github_settings.GITHUB_POLL_FAILURE_THRESHOLD = 2
    gone = Repository.objects.create(organization=acme, owner="octocat", name="Gone", full_name="octocat/Gone")

    assert repository_poll_task(gone.pk) == "failed"
    gone.refresh_from_db()
    assert gone.failure_count == 1 and gone.monitoring_status == "active" and "404" in gone.last_error

    Repository.objects.filter(pk=gone.pk).update(last_polled_at=None)
    assert repository_poll_task(gone.pk) == "failed"
    gone.refresh_from_db()
    assert gone.failure_count == 2 and gone.monitoring_status == "error"

    Repository.objects.filter(pk=gone.pk).update(last_polled_at=None)
    assert repository_poll_task(gone.pk) == "not due"


def test_a_repository_without_credentials_fails_in_one_line_without_a_traceback(github_settings, acme, caplog):
    github_settings.GITHUB_TOKEN = ""
    lonely = Repository.objects.create(organization=acme, owner="octocat", name="Lonely", full_name="octocat/Lonely")

    with caplog.at_level(logging.WARNING, logger="ingestion.services.polling"):
        assert repository_poll_task(lonely.pk) == "failed"

    (record,) = [r for r in caplog.records if r.name == "ingestion.services.polling"]
    assert "no GitHub credentials" in record.getMessage() and not record.exc_info
    lonely.refresh_from_db()
    assert lonely.failure_count == 1 and "GITHUB_TOKEN" in lonely.last_error


def test_a_successful_poll_clears_the_failures(github_settings, fake_github, hello_world):
    Repository.objects.filter(pk=hello_world.pk).update(failure_count=3, last_error="boom")

    assert repository_poll_task(hello_world.pk) == "polled"
    hello_world.refresh_from_db()
    assert hello_world.failure_count == 0 and hello_world.last_error == ""


def test_the_poll_schedule_is_declared():
    names = {schedule.func for schedule in declared_schedules()}
    assert "ingestion.tasks.repositories_poll_task" in names


def test_a_repository_synced_by_another_worker_is_skipped(github_settings, fake_github, hello_world):
    from django.db import connections

    from ingestion.services.github_api.locks import _NAMESPACE

    other_worker = connections.create_connection("default")
    with other_worker.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [_NAMESPACE, hello_world.pk])
    try:
        assert repository_poll_task(hello_world.pk) == "skipped"
    finally:
        other_worker.close()
    assert fake_github.requests == []
    hello_world.refresh_from_db()
    assert hello_world.failure_count == 0
