"""The triggers: a completed failing check run enqueues its analysis, the monitoring loop
catches what was missed, and the risk verdict joins the CI one as a review."""

from __future__ import annotations

from analysis.models import ModelVersion, PullRequestRiskPrediction
from gitinsight.schedules import declared_schedules
from ingestion.services.rows import announce
from ingestion.signals import check_run_completed
from tests.triage.duplicates.diffs import PYTHON_FIX
from tests.triage.duplicates.fixtures import analyse
from tests.triage.duplicates.fixtures import make_pull_request as make_similar_pr
from tests.triage.failures.fixtures import (
    COMPILE_ERROR,
    make_check_run,
    make_pull_request,
    make_repository,
)
from triage.failures.models import CheckFailureAnalysis, PullRequestReview
from triage.failures.services.analyses import check_run_analyse
from triage.failures.services.monitoring import failed_checks_enqueue, unanalysed_failed_check_runs
from triage.failures.services.reviews import pull_request_reviews_refresh


def test_it_analyses_a_check_run_when_ingestion_announces_its_failure(fake_actions, rocket,
                                                                      django_capture_on_commit_callbacks):
    failed = make_check_run(rocket, sha="a" * 40, name="build")
    passed = make_check_run(rocket, sha="a" * 40, name="lint", conclusion="success")
    fake_actions.job_logs[failed.github_id] = COMPILE_ERROR

    with django_capture_on_commit_callbacks(execute=True):
        for check_run in (failed, passed):
            announce(check_run_completed, sender=type(check_run), repository_id=rocket.pk,
                     check_run_id=check_run.pk)

    assert list(CheckFailureAnalysis.objects.values_list("check_run_id", "category")) == [
        (failed.pk, "build_compile")]


def test_the_monitoring_loop_enqueues_only_unanalysed_failures_of_open_heads(fake_actions, rocket,
                                                                            django_capture_on_commit_callbacks):
    open_pr = make_pull_request(rocket, 1)
    closed_pr = make_pull_request(rocket, 2)
    closed_pr.state = "closed"
    closed_pr.save()
    waiting = make_check_run(rocket, sha=open_pr.head_sha, name="build", pull_request=open_pr)
    make_check_run(rocket, sha="f" * 40, name="build", pull_request=open_pr)  # an older head
    make_check_run(rocket, sha=closed_pr.head_sha, name="build", pull_request=closed_pr)
    fake_actions.job_logs[waiting.github_id] = COMPILE_ERROR

    assert unanalysed_failed_check_runs() == [waiting.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert failed_checks_enqueue() == 1

    assert CheckFailureAnalysis.objects.get().check_run_id == waiting.pk
    assert unanalysed_failed_check_runs() == []


def test_it_declares_the_ten_minute_monitoring_schedule():
    schedules = {s.func: s for s in declared_schedules()}

    assert schedules["triage.failures.tasks.failed_checks_monitor"].minutes == 10


def test_it_writes_the_risk_review_next_to_the_ci_review_and_updates_them_in_place(fake_actions, rocket):
    pull_request = make_pull_request(rocket, 3)
    check_run = make_check_run(rocket, sha=pull_request.head_sha, name="build", pull_request=pull_request)
    fake_actions.job_logs[check_run.github_id] = COMPILE_ERROR
    check_run_analyse(check_run.pk)
    model = ModelVersion.objects.create(repository=rocket, version=1, feature_version=1, model_bytes=b"-")
    PullRequestRiskPrediction.objects.create(pull_request=pull_request, head_sha=pull_request.head_sha,
                                             model_version=model, probability=0.82, risk_level="high")

    pull_request_reviews_refresh(pull_request.pk)
    pull_request_reviews_refresh(pull_request.pk)

    reviews = dict(PullRequestReview.objects.values_list("reviewer_type", "decision"))
    assert reviews == {"risk": "request_changes", "ci": "request_changes"}
    assert PullRequestReview.objects.get(reviewer_type="risk").summary == "High risk (p=0.82)."


def test_it_writes_the_duplicate_review_from_the_similarity_runs_best_candidate(acme):
    repository = make_repository(acme, "dup")
    analyse(make_similar_pr(repository, 1, "Fix samefile"), PYTHON_FIX)
    second = make_similar_pr(repository, 2, "Fix samefile too", day=2)
    analyse(second, PYTHON_FIX)

    pull_request_reviews_refresh(second.pk)

    review = PullRequestReview.objects.get(pull_request=second, reviewer_type="duplicate")
    assert (review.decision, review.summary) == ("comment", "same change as #1")
