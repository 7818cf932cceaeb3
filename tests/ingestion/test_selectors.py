"""Shared reads of ingested data."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from gitinsight.models import Organization, User
from ingestion.models import Repository
from ingestion.selectors import repository_ids_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def repositories(acme) -> dict[str, Repository]:
    other = Organization.objects.create(login="globex", name="Globex")
    return {
        "rocket": Repository.objects.create(organization=acme, owner="acme", name="rocket", full_name="acme/rocket"),
        "anvil": Repository.objects.create(organization=acme, owner="acme", name="anvil", full_name="acme/anvil"),
        "hidden": Repository.objects.create(organization=other, owner="globex", name="x", full_name="globex/x"),
    }


def test_the_visible_repository_ids_are_those_of_visible_to_for_everyone(repositories, alice, bob, charlie):
    operator = User.objects.create_superuser(username="root", password="root-password-long")
    for user in (alice, bob, charlie, operator, AnonymousUser()):
        expected = set(Repository.objects.visible_to(user).values_list("pk", flat=True))
        assert set(repository_ids_visible_to(user)) == expected, user
    assert set(repository_ids_visible_to(alice)) == {repositories["rocket"].pk, repositories["anvil"].pk}
    assert repository_ids_visible_to(charlie) == []
