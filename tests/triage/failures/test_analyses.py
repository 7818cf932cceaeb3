"""Analysing a failed check run end to end: the log comes over real HTTP from the fake
GitHub (302 to a plain-text file, or the run's zip), the verdict lands in Postgres."""

from __future__ import annotations

import io
import zipfile

from ingestion.models import CheckRun
from tests.triage.failures.fixtures import (
    COMPILE_ERROR,
    PYTEST_FAILURE,
    PYTEST_PASSED,
    make_check_run,
    make_pull_request,
)
from triage.failures.core.excerpt import decompress_excerpt
from triage.failures.core.rules import RULES_VERSION
from triage.failures.models import CheckFailureAnalysis, FixAttempt, PullRequestReview
from triage.failures.services.analyses import check_run_analyse, excerpts_expire


def test_it_stores_the_category_root_cause_and_a_compressed_excerpt_but_not_the_log(fake_actions, rocket):
    pull_request = make_pull_request(rocket, 1)
    check_run = make_check_run(rocket, sha=pull_request.head_sha, name="build", pull_request=pull_request)
    fake_actions.job_logs[check_run.github_id] = COMPILE_ERROR

    analysis = check_run_analyse(check_run.pk)

    assert analysis.status == "done" and analysis.rules_version == RULES_VERSION
    assert analysis.category == "build_compile"
    top = analysis.root_cause[0]
    assert top["start"] <= 4 <= top["end"], "the compiler's error line is the top root cause"
    excerpt = decompress_excerpt(bytes(analysis.excerpt))
    assert any("error: no matching function" in line.text and line.highlighted for line in excerpt.lines)
    assert analysis.excerpt_lines == len(excerpt.lines) and analysis.full_log == ""
    assert analysis.workflow_job.github_id == check_run.github_id
    assert fake_actions.requested(f"/repos/acme/rocket/actions/jobs/{check_run.github_id}/logs")


def test_it_keeps_the_full_log_only_when_the_setting_asks(fake_actions, rocket, settings):
    settings.TRIAGE_KEEP_FULL_LOGS = True
    check_run = make_check_run(rocket, sha="a" * 40, name="build")
    fake_actions.job_logs[check_run.github_id] = COMPILE_ERROR

    assert check_run_analyse(check_run.pk).full_log == COMPILE_ERROR


def test_it_is_idempotent_for_the_same_rules_version(fake_actions, rocket):
    check_run = make_check_run(rocket, sha="a" * 40, name="build")
    fake_actions.job_logs[check_run.github_id] = COMPILE_ERROR

    first = check_run_analyse(check_run.pk)
    again = check_run_analyse(check_run.pk)

    assert first.pk == again.pk and CheckFailureAnalysis.objects.count() == 1
    assert len(fake_actions.requested(f"/repos/acme/rocket/actions/jobs/{check_run.github_id}/logs")) == 1


def test_it_falls_back_to_the_run_logs_archive_when_the_job_log_is_gone(fake_actions, rocket):
    check_run = make_check_run(rocket, sha="a" * 40, name="build", run_id=4242)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("build/1_Set up job.txt", "2026-07-30T13:20:00.0000000Z Runner image ubuntu-24.04\n")
        zipped.writestr("build/2_Build.txt", COMPILE_ERROR)
    fake_actions.run_logs[4242] = archive.getvalue()

    analysis = check_run_analyse(check_run.pk)

    assert analysis.status == "done" and analysis.category == "build_compile"


def test_it_records_a_failed_analysis_when_no_log_can_be_read(fake_actions, rocket):
    check_run = make_check_run(rocket, sha="a" * 40, name="build")

    analysis = check_run_analyse(check_run.pk)

    assert analysis.status == "failed" and analysis.attribution == "unknown"
    assert "404" in analysis.error


def test_it_ignores_check_runs_that_did_not_fail(fake_actions, rocket):
    check_run = make_check_run(rocket, sha="a" * 40, conclusion="success")

    assert check_run_analyse(check_run.pk) is None
    assert not CheckFailureAnalysis.objects.exists()


def test_it_diffs_against_a_passing_run_of_the_same_job(fake_actions, rocket):
    passed = make_check_run(rocket, sha="c" * 40, conclusion="success", branch="main")
    failed = make_check_run(rocket, sha="a" * 40)
    fake_actions.job_logs[passed.github_id] = PYTEST_PASSED
    fake_actions.job_logs[failed.github_id] = PYTEST_FAILURE

    analysis = check_run_analyse(failed.pk)

    assert analysis.compared_with_passing and analysis.category == "test_failure"
    assert fake_actions.requested(f"/repos/acme/rocket/actions/jobs/{passed.github_id}/logs")


def test_it_asks_the_author_to_fix_a_new_failure_and_skips_reruns(fake_actions, rocket):
    pull_request = make_pull_request(rocket, 2)
    check_run = make_check_run(rocket, sha=pull_request.head_sha, name="build", pull_request=pull_request)
    fake_actions.job_logs[check_run.github_id] = COMPILE_ERROR

    analysis = check_run_analyse(check_run.pk)

    assert analysis.attribution == "new" and analysis.recommended_action == "notify_author"
    strategies = dict(FixAttempt.objects.filter(analysis=analysis).values_list("strategy", "status"))
    # The author is told by GitInsight's check run: pending until it is posted (tests/triage/verdicts).
    assert strategies == {"suggest_fix": "succeeded", "notify_author": "pending"}
    review = PullRequestReview.objects.get(pull_request=pull_request, reviewer_type="ci")
    assert review.decision == "request_changes" and "build" in review.summary
    pull_request.refresh_from_db()
    assert pull_request.last_checked_at is not None


def test_it_expires_excerpts_after_the_retention_but_keeps_the_verdict(fake_actions, rocket, settings):
    settings.TRIAGE_EXCERPT_RETENTION_DAYS = 0
    check_run = make_check_run(rocket, sha="a" * 40, name="build")
    fake_actions.job_logs[check_run.github_id] = COMPILE_ERROR
    check_run_analyse(check_run.pk)

    assert excerpts_expire() == 1
    analysis = CheckFailureAnalysis.objects.get()
    assert analysis.excerpt is None and analysis.category == "build_compile"


def test_it_analyses_the_reported_output_of_a_check_run_from_another_ci_app(fake_actions, rocket):
    check_run = CheckRun.objects.create(
        github_id=31, repository=rocket, name="ci/circleci: lint", head_sha="a" * 40, status="completed",
        conclusion="failure", app_slug="circleci-checks", output_title="Lint failed",
        output_text="src/app.py:12:1: F401 'os' imported but unused\nFound 1 error.\nExited with code exit status 1")

    analysis = check_run_analyse(check_run.pk)

    assert analysis.status == "done" and analysis.workflow_job is None and analysis.category == "lint_format"
    assert analysis.root_cause[0]["rule"] == "flake8" and analysis.root_cause[0]["start"] == 2
    assert not fake_actions.requests, "no Actions log is asked for a check run of another app"
