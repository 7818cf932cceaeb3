"""Check runs are turned on in the admin, per organization or per repository, by an owner or
admin of the organization (a member cannot), and never for another organization's repository."""

import pytest
from django.test import Client

from gitinsight.services.maintainers import maintainer_update_from_github
from ingestion.models import Repository
from triage.verdicts.models import CheckRunPolicy

ADD = "/admin/triage/checkrunpolicy/add/"
pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    maintainer_update_from_github(user=user, profile={"id": user.pk})
    client = Client()
    client.force_login(user)
    return client


def test_an_owner_turns_check_runs_on_for_a_repository(alice, acme):
    rocket = Repository.objects.create(organization=acme, owner="acme", name="rocket", full_name="acme/rocket")
    response = signed_in(alice).post(ADD, {"organization": acme.pk, "repository": rocket.pk, "enabled": "on",
                                           "fail_at_risk": "high"})
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = CheckRunPolicy.objects.get()
    assert (policy.repository, policy.enabled, policy.fail_at_risk, policy.comment) == (rocket, True, "high", False)


def test_a_member_cannot_turn_them_on(bob, acme):
    response = signed_in(bob).post(ADD, {"organization": acme.pk, "enabled": "on"})
    assert response.status_code == 403 and not CheckRunPolicy.objects.exists()


def test_another_organizations_repository_is_not_offered(alice, acme, globex):
    vault = Repository.objects.create(organization=globex, owner="globex", name="vault", full_name="globex/vault")
    response = signed_in(alice).post(ADD, {"organization": acme.pk, "repository": vault.pk, "enabled": "on"})
    assert response.status_code == 200 and not CheckRunPolicy.objects.exists()
    assert "globex/vault" not in signed_in(alice).get(ADD).content.decode()
