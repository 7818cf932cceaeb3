"""The failed-checks API and admin queue: members see their organization's analyses,
others get 404; writes and admin actions are audited; log text is escaped."""

from __future__ import annotations

from django.contrib.admin.sites import site
from django.contrib.messages.storage.fallback import FallbackStorage

from gitinsight.models import AuditLog
from tests.conftest import key_client
from tests.triage.failures.fixtures import (
    COMPILE_ERROR,
    make_check_run,
    make_pull_request,
)
from triage.failures.admin import CheckFailureAnalysisAdmin
from triage.failures.models import CheckFailureAnalysis, FixAttempt, PullRequestReview
from triage.failures.services.analyses import check_run_analyse

HOSTILE_LOG = COMPILE_ERROR.replace("no matching function", "<script>alert(1)</script> no matching function")


def analysed(fake, repository, log=COMPILE_ERROR):
    pull_request = make_pull_request(repository, 5)
    check_run = make_check_run(repository, sha=pull_request.head_sha, name="build", pull_request=pull_request)
    fake.job_logs[check_run.github_id] = log
    return check_run_analyse(check_run.pk)


def test_it_serves_the_latest_analysis_of_a_check_run_with_ranked_lines(fake_actions, rocket, alice):
    analysis = analysed(fake_actions, rocket)

    body = key_client(alice, "read").get(f"/api/v1/triage/check-runs/{analysis.check_run_id}/analysis").json()

    assert body["category"] == "build_compile" and body["attribution"] == "new"
    assert body["root_cause"][0]["rule"] and body["excerpt"]["highlighted_lines"]
    assert "error: no matching function" in body["excerpt"]["text"]
    assert {a["strategy"] for a in body["fix_attempts"]} == {"suggest_fix", "notify_author"}


def test_it_hides_another_organizations_analyses(fake_actions, rocket, charlie, globex):
    analysis = analysed(fake_actions, rocket)
    client = key_client(charlie, "read", "write")

    assert client.get(f"/api/v1/triage/check-runs/{analysis.check_run_id}/analysis").status_code == 404
    assert client.get(f"/api/v1/triage/pull-requests/{analysis.pull_request_id}/ci").status_code == 404
    feedback = client.post(f"/api/v1/triage/pull-requests/{analysis.pull_request_id}/reviews/ci/feedback",
                           {"feedback": "helpful"}, format="json")
    assert feedback.status_code == 404


def test_it_lists_the_analyses_and_reviews_of_the_current_head(fake_actions, rocket, alice):
    analysis = analysed(fake_actions, rocket)

    body = key_client(alice, "read").get(f"/api/v1/triage/pull-requests/{analysis.pull_request_id}/ci").json()

    assert [a["check_run_name"] for a in body["analyses"]] == ["build"]
    assert [(r["reviewer_type"], r["decision"]) for r in body["reviews"]] == [("ci", "request_changes")]


def test_it_records_audited_feedback_on_a_review_with_write_scope_only(fake_actions, rocket, alice):
    analysis = analysed(fake_actions, rocket)
    url = f"/api/v1/triage/pull-requests/{analysis.pull_request_id}/reviews/ci/feedback"

    assert key_client(alice, "read").post(url, {"feedback": "helpful"}, format="json").status_code == 403
    answer = key_client(alice, "read", "write").post(url, {"feedback": "not_helpful", "comment": "it was flaky"},
                                                      format="json")

    assert answer.status_code == 200 and answer.json()["feedback"] == "not_helpful"
    review = PullRequestReview.objects.get(reviewer_type="ci")
    assert (review.feedback_comment, review.feedback_by) == ("it was flaky", alice)
    assert AuditLog.objects.filter(action="triage.review_feedback", resource_id=str(review.pk)).exists()


def test_it_shows_the_queue_with_escaped_excerpt_and_marked_root_cause(fake_actions, rocket, alice, client):
    analysis = analysed(fake_actions, rocket, HOSTILE_LOG)
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)

    queue = client.get("/admin/triage/checkfailureanalysis/?attribution__exact=new")
    page = client.get(f"/admin/triage/checkfailureanalysis/{analysis.pk}/change/").content.decode()

    assert queue.status_code == 200 and "build" in queue.content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<mark>" in page and "no_other_explanation" in page


def test_its_admin_actions_record_a_rerun_and_queue_a_reanalysis_audited(fake_actions, rocket, alice, rf,
                                                                         django_capture_on_commit_callbacks):
    analysis = analysed(fake_actions, rocket)
    request = rf.post("/")
    request.user, request.session = alice, {}
    request._messages = FallbackStorage(request)
    admin = CheckFailureAnalysisAdmin(CheckFailureAnalysis, site)

    admin.record_rerun(request, CheckFailureAnalysis.objects.all())
    with django_capture_on_commit_callbacks(execute=True):
        admin.reanalyse(request, CheckFailureAnalysis.objects.all())

    rerun = FixAttempt.objects.get(strategy="rerun_failed_jobs")
    assert rerun.retry_count == 1 and rerun.details["recorded_by"] == "alice"
    assert set(AuditLog.objects.values_list("action", flat=True)) >= {"triage.check_record_rerun",
                                                                       "triage.check_reanalyse"}
    assert len(fake_actions.requested(f"/repos/acme/rocket/actions/jobs/{analysis.check_run.github_id}/logs")) == 2


def test_the_review_list_in_the_admin_is_scoped_to_the_organization(fake_actions, rocket, alice, charlie, globex, rf):
    analysed(fake_actions, rocket)
    reviews = site._registry[PullRequestReview]

    def visible(user) -> int:
        request = rf.get("/")
        request.user = user
        return reviews.get_queryset(request).count()

    assert (visible(alice), visible(charlie)) == (1, 0)
