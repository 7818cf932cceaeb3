"""Config snapshots: the global one every organization falls back to is looked up as global, and
a snapshot's version is the server's to choose, so no organization's change form can take over
another's snapshot (or the global one) by typing its version. A repository's overrides apply on
top of the global snapshot, and maintainers' feedback moves them through triage_tune."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from gitinsight.models import AuditLog, Membership, Organization, User
from gitinsight.services.maintainers import maintainer_update_from_github
from tests.html_forms import form_data
from tests.triage.duplicates.diffs import PYTHON_FIX
from tests.triage.duplicates.fixtures import analyse, make_pull_request, make_repository
from triage.duplicates.core.scoring import DEFAULT_CONFIG
from triage.duplicates.models import CandidateEdge
from triage.duplicates.services.config import config_active, config_repository_apply
from triage.duplicates.services.feedback import feedback_confirm, feedback_reject
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


def test_a_newer_configuration_in_the_code_takes_over_from_the_stored_one(db):
    ConfigSnapshot.objects.create(config_version=1, is_active=True, thresholds_yaml=json.dumps({"old": True}),
                                  classification_rules_yaml="{}")
    version, config = config_active(repository_id=None)
    assert version != 1 and config == {**DEFAULT_CONFIG, "config_version": version}
    assert list(ConfigSnapshot.objects.filter(is_active=True).values_list("config_version", flat=True)) == [version]


def test_a_repositorys_overrides_apply_on_top_of_the_global_configuration(acme, alice):
    repository = make_repository(acme)
    snapshot = config_repository_apply(repository=repository, user=alice, reason="test",
                                       overrides={"calibration": {"a": 1.0, "b": -1.0}})
    version, config = config_active(repository_id=repository.pk)
    assert version == snapshot.config_version and config["calibration"] == {"a": 1.0, "b": -1.0}
    assert config["same_change"] == DEFAULT_CONFIG["same_change"]
    assert config_active(repository_id=None)[1].get("calibration") != {"a": 1.0, "b": -1.0}
    assert AuditLog.objects.filter(action="triage.config_apply", resource_id=str(snapshot.config_version)).exists()


def test_overrides_tuned_against_an_older_global_configuration_are_left_aside(acme):
    repository = make_repository(acme)
    ConfigSnapshot.objects.create(
        config_version=9000, repository=repository, is_active=True, classification_rules_yaml="{}",
        thresholds_yaml=json.dumps({"base_config_version": -1, "overrides": {"calibration": {"a": 2.0, "b": 0}}}),
    )
    version, config = config_active(repository_id=repository.pk)
    assert version == config_active(repository_id=None)[0] != 9000 and "calibration" not in config


@pytest.fixture
def judged(acme, alice):
    repository = make_repository(acme)
    analyse(make_pull_request(repository, 1, "Fix samefile"), PYTHON_FIX)
    analyse(make_pull_request(repository, 2, "Fix samefile too", day=2), PYTHON_FIX)
    analyse(make_pull_request(repository, 3, "Fix samefile, third", day=3), PYTHON_FIX)
    edges = list(CandidateEdge.objects.order_by("analysis_run__started_at", "rank"))
    feedback_confirm(user=alice, edge=edges[0])
    feedback_reject(user=alice, edge=edges[-1])
    return repository


def test_triage_tune_shows_what_the_feedback_would_change_before_applying_it(judged):
    out = StringIO()
    call_command("triage_tune", judged.full_name, stdout=out)
    result = json.loads(out.getvalue().splitlines()[-1])
    assert result["labelled_pairs"] == 2 and result["applied"] is False
    assert result["before"]["same_change_precision"] == 0.5
    assert not ConfigSnapshot.objects.filter(repository=judged).exists()


def test_triage_tune_apply_stores_the_repository_configuration(judged):
    out = StringIO()
    call_command("triage_tune", judged.full_name, "--apply", stdout=out)
    result = json.loads(out.getvalue().splitlines()[-1])
    snapshot = ConfigSnapshot.objects.get(repository=judged, is_active=True)
    assert result["applied"] and result["new_config_version"] == snapshot.config_version
    assert config_active(repository_id=judged.pk)[0] == snapshot.config_version


def test_triage_tune_explains_an_unknown_repository(db):
    with pytest.raises(CommandError, match="No repository"):
        call_command("triage_tune", "acme/missing")
