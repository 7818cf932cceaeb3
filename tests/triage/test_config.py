"""Thresholds per repository: the global snapshot, a repository's overrides on top of it, and
maintainers' feedback moving them through triage_tune."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gitinsight.models import AuditLog
from tests.triage.diffs import PYTHON_FIX
from tests.triage.fixtures import analyse, make_pull_request, make_repository
from triage.models import CandidateEdge, ConfigSnapshot
from triage.services.config import config_active, config_repository_apply
from triage.services.feedback import feedback_confirm, feedback_reject
from triage.similarity.scoring import DEFAULT_CONFIG

pytestmark = pytest.mark.django_db


def test_a_newer_configuration_in_the_code_takes_over_from_the_stored_one(db):
    ConfigSnapshot.objects.create(config_version=1, is_active=True, thresholds_yaml=json.dumps({"old": True}),
                                  classification_rules_yaml="{}")
    version, config = config_active(repository_id=None)
    assert version == DEFAULT_CONFIG["config_version"] > 1 and "old" not in config
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
    assert version == DEFAULT_CONFIG["config_version"] and "calibration" not in config


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
