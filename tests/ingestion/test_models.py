import pytest
from django.db import IntegrityError, transaction

from ingestion.models import Commit, PullRequest, Repository, WebhookDelivery


@pytest.fixture
def repository(acme) -> Repository:
    return Repository.objects.create(organization=acme, owner="acme", name="rocket", full_name="acme/rocket")


def test_it_keeps_one_commit_per_sha_and_repository(repository):
    Commit.objects.create(repository=repository, sha="a" * 40, parents=["b" * 40])
    with pytest.raises(IntegrityError), transaction.atomic():
        Commit.objects.create(repository=repository, sha="a" * 40)
    assert Commit.objects.get().parents == ["b" * 40]


def test_it_rejects_an_unknown_pull_request_state(repository):
    with pytest.raises(IntegrityError), transaction.atomic():
        PullRequest.objects.create(repository=repository, number=1, title="x", state="opened")


def test_it_treats_owner_and_name_case_insensitively(repository, acme):
    with pytest.raises(IntegrityError), transaction.atomic():
        Repository.objects.create(organization=acme, owner="ACME", name="Rocket", full_name="ACME/Rocket")


def test_it_lists_repositories_due_for_polling(repository, acme):
    from django.utils import timezone

    Repository.objects.create(
        organization=acme, owner="acme", name="paused", full_name="acme/paused", monitoring_status="suspended"
    )
    due = Repository.objects.due_for_polling(older_than=timezone.now())
    assert list(due) == [repository]


def test_it_stores_a_delivery_under_its_github_id(db):
    WebhookDelivery.objects.create(delivery_id="abc", event="ping", payload_sha256="0" * 64)
    assert WebhookDelivery.objects.get(pk="abc").status == "RECEIVED"
