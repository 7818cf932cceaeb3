"""One report per pull request head joins commit risk, duplicates and failed checks."""

import pytest

from analysis.models import ModelVersion, PullRequestRiskPrediction
from ingestion.models import CheckRun
from tests.conftest import key_client
from tests.triage.duplicates.diffs import PYTHON_FIX
from tests.triage.duplicates.fixtures import analyse, make_pull_request, make_repository
from triage.failures.core.analysis import analyse_log
from triage.failures.models.analyses import CheckFailureAnalysis
from triage.report.selectors import pull_request_report

pytestmark = pytest.mark.django_db

FAILED_LOG = """\
##[group]Run pytest
============================= test session starts ==============================
collected 12 items

tests/test_paths.py .F                                                   [100%]

=================================== FAILURES ===================================
________________________ test_samefile_zero_inode ______________________________
E       AssertionError: assert False
E        +  where False = samefile(PosixPath('/tmp/x'), PosixPath('/tmp/x'))
tests/test_paths.py:6: AssertionError
=========================== short test summary info ============================
FAILED tests/test_paths.py::test_samefile_zero_inode - AssertionError: assert False
========================= 1 failed, 11 passed in 0.12s =========================
##[error]Process completed with exit code 1.
"""


@pytest.fixture
def reported(acme):
    repository = make_repository(acme)
    analyse(make_pull_request(repository, 1, "Fix samefile on zero inodes", day=1), PYTHON_FIX)
    pull_request = make_pull_request(repository, 2, "Handle st_ino == 0 in samefile", day=2)
    analyse(pull_request, PYTHON_FIX)
    model = ModelVersion.objects.create(
        repository=repository, version=1, feature_version=1, metrics={"auc": 0.8}, model_bytes=b"-", is_active=True,
    )
    PullRequestRiskPrediction.objects.create(
        pull_request=pull_request, head_sha=pull_request.head_sha, model_version=model, probability=0.82,
        risk_level="high", commit_count=1, top_features=[{"feature": "LA", "value": 120.0, "contribution": 0.9}],
    )
    check_run = CheckRun.objects.create(
        github_id=77, repository=repository, pull_request=pull_request, name="tests", head_sha=pull_request.head_sha,
        status="completed", conclusion="failure",
    )
    result = analyse_log(FAILED_LOG)
    CheckFailureAnalysis.objects.create(
        check_run=check_run, pull_request=pull_request, head_sha=pull_request.head_sha, status="done",
        category=result.category, category_confidence=result.category_confidence,
        root_cause=[], excerpt=result.excerpt, excerpt_lines=len(result.excerpt_text.splitlines()),
        fingerprint=result.fingerprint, attribution="new", attribution_confidence=0.9,
        recommended_action="notify_author", rules_version=result.rules_version,
    )
    return pull_request


def test_the_report_joins_risk_duplicates_and_failed_checks(reported):
    report = pull_request_report(pull_request=reported)
    assert report.risk["risk_level"] == "high"
    assert report.risk["top_features"][0]["feature"] == "LA"
    assert [(item["number"], item["category"]) for item in report.duplicates] == [(1, "SAME_CHANGE")]
    assert report.checks[0]["attribution"] == "new"
    assert any("AssertionError" in line["text"] for line in report.checks[0]["root_cause"])
    assert report.headline == "risk high (82%); same change as #1; 1 check failure(s) caused by this PR"


def test_the_report_is_served_by_the_api_to_members_only(reported, alice, charlie, globex):
    body = key_client(alice, "read").get(f"/api/v1/triage/pull-requests/{reported.pk}/report").json()
    assert body["pull_request"]["number"] == 2
    assert body["headline"].startswith("risk high")
    assert key_client(charlie, "read").get(f"/api/v1/triage/pull-requests/{reported.pk}/report").status_code == 404


def test_the_report_page_in_the_admin_highlights_the_root_cause(reported, client, alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    page = client.get(f"/admin/triage/triagequeueitem/{reported.pk}/report/")
    assert page.status_code == 200
    assert b"same change as #1" in page.content
    assert b"<mark>" in page.content


def test_a_failure_the_pull_request_caused_is_on_the_dashboard(reported, alice, charlie):
    from triage.failures.inbox import failed_checks_caused_by_pull_requests

    items = failed_checks_caused_by_pull_requests(alice)
    assert [(item.title, item.severity) for item in items] == [("#2: tests failed (New)", "high")]
    assert items[0].url == f"/admin/triage/triagequeueitem/{reported.pk}/report/"
    assert failed_checks_caused_by_pull_requests(charlie) == []


def test_followers_hear_once_about_a_failure_the_pull_request_caused(reported, alice):
    from django.core import mail

    from triage.failures.services.notifications import new_failure_notify
    from workspace.services.notifications import repository_follow

    repository_follow(user=alice, repository=reported.repository)
    analysis = CheckFailureAnalysis.objects.get()
    assert new_failure_notify(analysis) == 1
    assert new_failure_notify(analysis) == 0
    assert mail.outbox[0].subject == "[acme/rocket] #2: tests failed because of this pull request"
