"""Config snapshots: the global one every organization falls back to is looked up as global, and
a snapshot's version is the server's to choose, so no organization's change form can take over
another's snapshot (or the global one) by typing its version."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from gitinsight.models import Membership, Organization, User
from gitinsight.services.maintainers import maintainer_update_from_github
from tests.html_forms import form_data
from tests.triage.duplicates.fixtures import make_repository
from triage.duplicates.core.scoring import DEFAULT_CONFIG
from triage.duplicates.services.config import config_active
from triage.models import ConfigSnapshot

pytestmark = pytest.mark.django_db

LAX = json.dumps({**DEFAULT_CONFIG, "same_change": {**DEFAULT_CONFIG["same_change"], "code_jaccard": 0.01}})


def maintainer_of(organization: Organization, username: str, role: str) -> Client:
    user = User.objects.create_user(username=username, password="x-long-password")
    maintainer_update_from_github(user=user, profile={"name": username})
    Membership.objects.create(organization=organization, user=user, role=role)
    browser = Client()
    browser.force_login(user)
    return browser


def snapshot_values(snapshot: ConfigSnapshot) -> dict:
    return ConfigSnapshot.objects.filter(pk=snapshot.pk).values().get()


@pytest.fixture
def victim(globex) -> ConfigSnapshot:
    """The active snapshot of another organization's repository."""
    return ConfigSnapshot.objects.create(config_version=500, repository=make_repository(globex, "victim"),
                                         thresholds_yaml=json.dumps(DEFAULT_CONFIG), classification_rules_yaml="{}",
                                         is_active=True)


@pytest.fixture
def own(acme) -> ConfigSnapshot:
    return ConfigSnapshot.objects.create(config_version=600, repository=make_repository(acme, "own"),
                                         thresholds_yaml=json.dumps(DEFAULT_CONFIG), classification_rules_yaml="{}",
                                         is_active=True)


def change_form_post(browser: Client, snapshot: ConfigSnapshot, **changes: str):
    """Her own snapshot's change form, as the page shows it, with some fields changed."""
    url = f"/admin/triage/configsnapshot/{snapshot.pk}/change/"
    page = browser.get(url)
    data = form_data(page.content.decode(), "configsnapshot_form") if page.status_code == 200 else {}
    return browser.post(url, {**data, **changes, "_save": "Save"})


@pytest.mark.parametrize("role", [Membership.Role.MEMBER, Membership.Role.OWNER])
def test_a_change_form_cannot_take_over_another_organizations_snapshot_by_its_version(acme, own, victim, role):
    before = snapshot_values(victim)
    browser = maintainer_of(acme, "mallory", role)

    change_form_post(browser, own, config_version=str(victim.config_version), thresholds_yaml=LAX)

    assert snapshot_values(victim) == before
    assert ConfigSnapshot.objects.filter(repository=own.repository).exists()
    assert config_active(repository_id=victim.repository_id)[1]["same_change"]["code_jaccard"] == 0.7


@pytest.mark.parametrize("role", [Membership.Role.MEMBER, Membership.Role.OWNER])
def test_a_change_form_cannot_take_over_the_global_snapshot_by_its_version(acme, globex, own, role):
    version, _ = config_active(repository_id=None)
    global_snapshot = ConfigSnapshot.objects.get(config_version=version)
    before = snapshot_values(global_snapshot)
    elsewhere = make_repository(globex, "elsewhere")
    browser = maintainer_of(acme, "mallory", role)

    change_form_post(browser, own, config_version=str(version), thresholds_yaml=LAX)

    assert snapshot_values(global_snapshot) == before
    assert config_active(repository_id=elsewhere.pk) == (version, {**DEFAULT_CONFIG, "config_version": version})


def test_the_change_form_does_not_offer_the_version(acme, own):
    browser = maintainer_of(acme, "alex", Membership.Role.OWNER)
    page = browser.get(f"/admin/triage/configsnapshot/{own.pk}/change/")
    assert page.status_code == 200
    assert "config_version" not in form_data(page.content.decode(), "configsnapshot_form")


def test_a_snapshot_added_in_the_admin_gets_a_version_of_the_servers_choosing(acme, own, victim):
    browser = maintainer_of(acme, "alex", Membership.Role.OWNER)
    before = snapshot_values(victim)

    page = browser.post("/admin/triage/configsnapshot/add/", {
        "config_version": str(victim.config_version), "repository": str(own.repository_id),
        "classification_rules_yaml": "{}", "thresholds_yaml": LAX, "_save": "Save",
    })

    assert page.status_code == 302, page.content.decode()[:2000]
    added = ConfigSnapshot.objects.filter(repository=own.repository).exclude(pk=own.pk).get()
    assert added.config_version not in (victim.config_version, own.config_version)
    assert snapshot_values(victim) == before


def test_a_repositorys_snapshot_numbered_like_the_default_is_never_taken_for_the_global_one(acme, globex):
    """Rows a takeover left behind: version 1 belongs to a repository and no global snapshot exists."""
    taken = ConfigSnapshot.objects.create(config_version=DEFAULT_CONFIG["config_version"],
                                          repository=make_repository(acme, "taker"), thresholds_yaml=LAX,
                                          classification_rules_yaml="{}", is_active=False)
    elsewhere = make_repository(globex, "elsewhere")

    version, thresholds = config_active(repository_id=elsewhere.pk)

    assert version != taken.config_version
    assert thresholds == {**DEFAULT_CONFIG, "config_version": version}
    assert ConfigSnapshot.objects.get(config_version=version).repository is None


def test_a_repository_uses_its_own_active_snapshot_and_others_the_global_one(acme, globex, own):
    elsewhere = make_repository(globex, "elsewhere")
    assert config_active(repository_id=own.repository_id)[0] == own.config_version
    version, _ = config_active(repository_id=elsewhere.pk)
    assert version != own.config_version and ConfigSnapshot.objects.get(config_version=version).repository is None
    assert config_active(repository_id=None)[0] == version
