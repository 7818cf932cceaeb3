"""Who broke it, from what the database knows. Calling a real failure FLAKY is the worst
error, so most of these prove that NEW stays NEW unless the evidence is specific."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from ingestion.models import Issue
from tests.triage.failures.fixtures import (
    COMPILE_ERROR,
    FAILED_AT,
    PYTEST_FAILURE,
    make_check_run,
    make_pull_request,
)
from triage.failures.models import FixAttempt
from triage.failures.services.analyses import check_run_analyse


def failing(fake, repository, log: str, **kwargs):
    check_run = make_check_run(repository, **kwargs)
    fake.job_logs[check_run.github_id] = log
    return check_run


def test_it_calls_a_failure_flaky_when_the_same_sha_passed_on_a_retry(fake_actions, rocket):
    pull_request = make_pull_request(rocket, 1)
    failed = failing(fake_actions, rocket, PYTEST_FAILURE, sha=pull_request.head_sha, pull_request=pull_request)
    make_check_run(rocket, sha=pull_request.head_sha, conclusion="success", attempt=2, pull_request=pull_request)

    analysis = check_run_analyse(failed.pk)

    assert analysis.attribution == "flaky"
    assert analysis.attribution_evidence[0]["kind"] == "same_sha_passed"
    assert analysis.attribution_evidence[0]["url"].startswith("https://github.com/")


def test_it_keeps_a_failure_new_when_a_different_failure_happened_elsewhere(fake_actions, rocket):
    for number in (10, 11, 12):
        other = make_pull_request(rocket, number)
        check_run_analyse(failing(fake_actions, rocket, COMPILE_ERROR, sha=other.head_sha, name="test (distributed)",
                                  pull_request=other).pk)
    pull_request = make_pull_request(rocket, 1)
    failed = failing(fake_actions, rocket, PYTEST_FAILURE, sha=pull_request.head_sha, pull_request=pull_request)

    assert check_run_analyse(failed.pk).attribution == "new"


def test_it_keeps_a_failure_new_when_only_earlier_pushes_of_the_same_pr_failed_that_way(fake_actions, rocket):
    pull_request = make_pull_request(rocket, 1, head_sha="1" * 40)
    for sha in ("2" * 40, "3" * 40):
        check_run_analyse(failing(fake_actions, rocket, PYTEST_FAILURE, sha=sha, pull_request=pull_request,
                                  at=FAILED_AT - timedelta(hours=1)).pk)
    failed = failing(fake_actions, rocket, PYTEST_FAILURE, sha=pull_request.head_sha, pull_request=pull_request)

    assert check_run_analyse(failed.pk).attribution == "new"


def test_it_calls_the_same_failure_on_unrelated_commits_within_the_window_flaky(fake_actions, rocket):
    for number in (10, 11):
        other = make_pull_request(rocket, number)
        check_run_analyse(failing(fake_actions, rocket, PYTEST_FAILURE, sha=other.head_sha, pull_request=other,
                                  at=FAILED_AT - timedelta(days=1)).pk)
    pull_request = make_pull_request(rocket, 1)
    failed = failing(fake_actions, rocket, PYTEST_FAILURE, sha=pull_request.head_sha, pull_request=pull_request)

    analysis = check_run_analyse(failed.pk)

    assert analysis.attribution == "flaky"
    assert {e["kind"] for e in analysis.attribution_evidence} == {"same_failure_elsewhere"}


def test_it_does_not_count_sightings_older_than_the_window(fake_actions, rocket, settings):
    settings.TRIAGE_FLAKY_WINDOW_DAYS = 3
    for number in (10, 11):
        other = make_pull_request(rocket, number)
        check_run_analyse(failing(fake_actions, rocket, PYTEST_FAILURE, sha=other.head_sha, pull_request=other,
                                  at=FAILED_AT - timedelta(days=5)).pk)
    pull_request = make_pull_request(rocket, 1)
    failed = failing(fake_actions, rocket, PYTEST_FAILURE, sha=pull_request.head_sha, pull_request=pull_request)

    # The older analyses were stored "now", so the window is checked on the check runs' times.
    assert check_run_analyse(failed.pk).attribution == "new"


def test_it_blames_the_trunk_when_the_base_branch_fails_the_same_way(fake_actions, rocket):
    check_run_analyse(failing(fake_actions, rocket, PYTEST_FAILURE, sha="b" * 40, branch="main").pk)
    pull_request = make_pull_request(rocket, 1)
    failed = failing(fake_actions, rocket, PYTEST_FAILURE, sha=pull_request.head_sha, pull_request=pull_request)

    analysis = check_run_analyse(failed.pk)

    assert analysis.attribution == "broken_trunk" and analysis.recommended_action == "wait_for_trunk_fix"


def test_it_calls_a_job_named_by_an_open_unstable_issue_unstable(fake_actions, rocket):
    Issue.objects.create(repository=rocket, number=77, title="UNSTABLE test (distributed)", state="open",
                         labels=["unstable"], html_url="https://github.com/acme/rocket/issues/77")
    Issue.objects.create(repository=rocket, number=78, title="test (distributed) is slow", state="open",
                         labels=["enhancement"])
    failed = failing(fake_actions, rocket, PYTEST_FAILURE, sha="a" * 40)

    analysis = check_run_analyse(failed.pk)

    assert analysis.attribution == "unstable"
    assert analysis.attribution_evidence == [
        {"kind": "unstable_issue", "detail": "#77 UNSTABLE test (distributed)",
         "url": "https://github.com/acme/rocket/issues/77"}]


def test_it_records_a_flaky_rerun_as_skipped_while_auto_rerun_is_off(fake_actions, rocket, settings):
    settings.TRIAGE_AUTO_RERUN = False
    failed = failing(fake_actions, rocket, PYTEST_FAILURE, sha="a" * 40)
    make_check_run(rocket, sha="a" * 40, conclusion="success", attempt=2)

    analysis = check_run_analyse(failed.pk)

    rerun = FixAttempt.objects.get(analysis=analysis, strategy="rerun_failed_jobs")
    assert rerun.status == "skipped" and rerun.details == {"reason": "TRIAGE_AUTO_RERUN is off"}
    assert fake_actions.reruns == []


def test_it_reruns_the_failed_jobs_of_a_flaky_run_once_when_allowed(fake_actions, rocket, settings,
                                                                    django_capture_on_commit_callbacks):
    settings.TRIAGE_AUTO_RERUN = True
    failed = failing(fake_actions, rocket, PYTEST_FAILURE, sha="a" * 40, run_id=5150)
    make_check_run(rocket, sha="a" * 40, conclusion="success", attempt=2)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        analysis = check_run_analyse(failed.pk)
    with django_capture_on_commit_callbacks(execute=True):
        check_run_analyse(failed.pk, force=True)

    rerun = FixAttempt.objects.get(analysis=analysis, strategy="rerun_failed_jobs")
    assert rerun.status == "succeeded" and rerun.retry_count == 1
    assert fake_actions.reruns == [5150]
