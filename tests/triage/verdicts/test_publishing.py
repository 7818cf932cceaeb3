"""One GitInsight check run per pull request head, on a fake GitHub over real HTTP: created in
progress when the head is first seen, edited in place as the analyses finish, never twice."""

import pytest

from tests.fakes.github_server import Fault
from tests.triage.verdicts.fixtures import duplicates_done, failed_check, failure_analysed, pull_request
from triage.verdicts.models import CheckRunPolicy, CheckRunPost, PullRequestCheckRun
from triage.verdicts.services.publishing import check_run_publish, check_runs_retry

pytestmark = pytest.mark.django_db


def publish(pr, **kwargs):
    return check_run_publish(pull_request_id=pr.pk, head_sha=pr.head_sha, **kwargs)


def writes(github):
    return [(write.method, write.body.get("status")) for write in github.app.writes]


def test_a_head_first_seen_gets_one_check_run_in_progress(github, rocket, check_runs_on):
    pr = pull_request(rocket, 7)
    row = publish(pr)
    created = github.app.created_for(pr.head_sha)
    assert len(created) == 1 and created[0]["status"] == "in_progress"
    assert created[0]["external_id"] == "gitinsight:pull/7" and created[0]["head_sha"] == pr.head_sha
    assert created[0]["output"]["title"] == "Still analysing"
    assert row.github_id == created[0]["id"] and row.is_posted


def test_it_is_edited_in_place_as_each_analysis_finishes_then_completed(github, rocket, check_runs_on):
    first = pull_request(rocket, 3, merged=True, title="Ignite the engine")
    pr = pull_request(rocket, 7)
    publish(pr)
    duplicates_done(pr, candidate=first)
    failure_analysed(failed_check(pr))
    row = publish(pr)
    assert writes(github) == [("POST", "in_progress"), ("PATCH", "completed")]
    shown = github.app.check_run_get("acme/rocket", row.github_id)
    assert shown["conclusion"] == "neutral" and row.status == "completed"
    assert "The same change as [#3 Ignite the engine](https://github.com/acme/rocket/pull/3) (merged), 93 % alike" in (
        shown["output"]["summary"])
    assert "tests (3.12)" in shown["output"]["summary"]
    assert "New with this pull request" in shown["output"]["summary"]


def test_an_unchanged_verdict_is_not_posted_again(github, rocket, check_runs_on):
    pr = pull_request(rocket, 7)
    duplicates_done(pr)
    publish(pr)
    publish(pr)
    publish(pr)
    assert writes(github) == [("POST", "completed")]
    assert CheckRunPost.objects.count() == 1


def test_nothing_is_posted_unless_the_organization_or_repository_turns_it_on(github, rocket, acme):
    pr = pull_request(rocket, 7)
    assert publish(pr) is None
    CheckRunPolicy.objects.create(organization=acme, enabled=True)
    CheckRunPolicy.objects.create(organization=acme, repository=rocket, enabled=False)
    assert publish(pr) is None
    assert github.app.writes == [] and not PullRequestCheckRun.objects.exists()


def test_a_repository_can_turn_it_on_for_itself(github, rocket, acme):
    CheckRunPolicy.objects.create(organization=acme, repository=rocket, enabled=True)
    assert publish(pull_request(rocket, 7)) is not None


def test_a_422_is_recorded_and_retried_without_losing_the_verdict(github, rocket, check_runs_on):
    pr = pull_request(rocket, 7)
    duplicates_done(pr)
    github.add_fault(Fault("/repos/acme/rocket/check-runs", status=422, message="Validation Failed", method="POST"))
    row = publish(pr)
    assert row.github_id is None and row.retry_at is not None and "422" in row.last_error
    refused = CheckRunPost.objects.get()
    assert not refused.succeeded and refused.http_status == 422 and refused.check_status == "completed"
    check_runs_retry(now=row.retry_at)
    row.refresh_from_db()
    assert row.is_posted and row.retry_at is None and row.last_error == ""
    shown = github.app.check_run_get("acme/rocket", row.github_id)
    assert (shown["status"], shown["conclusion"], shown["output"]["summary"]) == ("completed", "neutral", row.summary)


def test_a_403_on_an_edit_is_retried_with_the_newer_verdict(github, rocket, check_runs_on):
    pr = pull_request(rocket, 7)
    row = publish(pr)
    github.add_fault(Fault(f"/repos/acme/rocket/check-runs/{row.github_id}", status=403,
                           message="Resource not accessible by integration", method="PATCH"))
    duplicates_done(pr)
    row = publish(pr)
    assert row.status == "completed" and not row.is_posted and row.failed_posts == 1
    check_runs_retry(now=row.retry_at)
    assert github.app.check_run_get("acme/rocket", row.github_id)["conclusion"] == "neutral"
    assert len(github.app.created_for(pr.head_sha)) == 1


def test_a_check_run_whose_creation_answer_was_lost_is_adopted_not_created_again(github, rocket, check_runs_on):
    pr = pull_request(rocket, 7)
    github.app.check_run_create("acme/rocket", {"name": "GitInsight", "head_sha": pr.head_sha,
                                                "external_id": "gitinsight:pull/7", "status": "in_progress"})
    duplicates_done(pr)
    row = publish(pr)
    assert len(github.app.created_for(pr.head_sha)) == 1
    assert [post.action for post in row.posts.order_by("pk")] == ["adopt", "update"]
    assert github.app.check_run_get("acme/rocket", row.github_id)["status"] == "completed"


def test_it_waits_for_the_rate_limit_reset_then_posts(github, rocket, check_runs_on, policy, sleep):
    pr = pull_request(rocket, 7)
    github.set_rate_limit(remaining=0, reset_in=20)
    sleep.then = github.reset_rate_limit
    row = publish(pr, policy=policy)
    assert row.is_posted and len(github.app.created_for(pr.head_sha)) == 1
    assert sleep.waits and 15 <= sleep.waits[0] <= 25


def test_a_long_rate_limit_wait_reschedules_the_post_at_the_reset(github, rocket, check_runs_on, policy, sleep):
    pr = pull_request(rocket, 7)
    github.set_rate_limit(remaining=0, reset_in=3600)
    row = publish(pr, policy=policy)
    assert not row.is_posted and "rate limit" in row.last_error and sleep.waits == []
    assert (row.retry_at - row.updated_at).total_seconds() > 3000
    github.reset_rate_limit()
    check_runs_retry(now=row.retry_at, policy=policy)
    row.refresh_from_db()
    assert row.is_posted


def test_a_head_pushed_again_mid_analysis_completes_the_old_check_run_as_superseded(github, rocket, check_runs_on):
    from triage.verdicts.services.publishing import check_run_supersede

    pr = pull_request(rocket, 7)
    old = publish(pr)
    pr.head_sha = "c" * 40
    pr.save()
    check_run_supersede(pull_request_id=pr.pk, head_sha=old.head_sha, new_head_sha=pr.head_sha)
    new = publish(pr)
    shown = github.app.check_run_get("acme/rocket", old.github_id)
    assert (shown["status"], shown["conclusion"]) == ("completed", "skipped")
    assert shown["output"]["title"] == f"Superseded by a newer push ({'c' * 7})"
    duplicates_done(PullRequestCheckRun.objects.get(pk=old.pk).pull_request)  # the old head's run finishes late
    assert check_run_publish(pull_request_id=pr.pk, head_sha=old.head_sha).superseded_by == pr.head_sha
    assert github.app.check_run_get("acme/rocket", old.github_id)["conclusion"] == "skipped"
    assert new.github_id != old.github_id and new.status == "in_progress"


def test_a_personal_token_cannot_post_check_runs_and_says_so(github, rocket, check_runs_on, settings):
    settings.GITHUB_APP_ID, settings.GITHUB_APP_PRIVATE_KEY = "", ""
    settings.GITHUB_TOKEN, settings.GITHUB_TOKEN_REPOSITORIES = github.token, ["acme:acme/rocket"]
    row = publish(pull_request(rocket, 7))
    assert row.github_id is None and "only a GitHub App can post check runs" in row.last_error
    assert github.app.writes == []
