"""The check run's "Re-analyse" button (GitHub's `requested_action`): the head is analysed again
and the same check run is edited, naming who asked; a button on another app's run does nothing."""

import json

import pytest

from ingestion.core.webhook_signature import signature_for
from ingestion.services.webhooks.intake import delivery_receive
from tests.triage.verdicts.fixtures import duplicates_done, pull_request
from tests.triage.verdicts.payloads import check_run_requested_action
from triage.duplicates.models import AnalysisRun
from triage.verdicts.models import PullRequestCheckRun
from triage.verdicts.services.publishing import check_run_publish

SECRET = "test-webhook-secret"
pytestmark = pytest.mark.django_db(transaction=True)


def deliver(payload: dict, delivery_id: str) -> int:
    body = json.dumps(payload).encode()
    return delivery_receive(body=body, event="check_run", delivery_id=delivery_id,
                            signature=signature_for(SECRET, body), secret=SECRET).status_code


@pytest.fixture
def completed(github, rocket, check_runs_on, settings) -> PullRequestCheckRun:
    settings.GITHUB_WEBHOOK_SECRET = SECRET
    pr = pull_request(rocket, 7)
    duplicates_done(pr)
    row = check_run_publish(pull_request_id=pr.pk, head_sha=pr.head_sha)
    assert row.status == "completed"
    return row


def test_the_button_re_analyses_the_head_and_edits_the_same_check_run(github, completed):
    deliver(check_run_requested_action(github_id=completed.github_id, head_sha=completed.head_sha, number=7,
                                       by="grace"), "press-1")
    completed.refresh_from_db()
    assert completed.rerun_requested_by == "grace" and completed.rerun_requested_at is not None
    assert AnalysisRun.objects.filter(pull_request_id=completed.pull_request_id).count() == 2
    shown = github.app.check_run_get("acme/rocket", completed.github_id)
    assert "Re-analysed at @grace's request." in shown["output"]["summary"]
    assert shown["status"] == "completed" and completed.status == "completed"
    assert len(github.app.created_for(completed.head_sha)) == 1


def test_a_button_on_another_apps_check_run_changes_nothing(github, completed):
    writes = len(github.app.writes)
    deliver(check_run_requested_action(github_id=123456, head_sha=completed.head_sha, number=7,
                                       external_id="someone-else"), "press-2")
    completed.refresh_from_db()
    assert completed.rerun_requested_by == "" and len(github.app.writes) == writes
    assert AnalysisRun.objects.filter(pull_request_id=completed.pull_request_id).count() == 1
