""""Notify the author" is real: the check run says it, the repository may add one comment that
mentions the author (edited, never posted twice), and the attempt records what was sent."""

import pytest

from tests.triage.verdicts.fixtures import duplicates_done, failed_check, failure_analysed, pull_request
from triage.failures.models.analyses import FixAttempt, FixStatus, FixStrategy
from triage.verdicts.models import CheckRunPost, GitHubNotice
from triage.verdicts.services.publishing import check_run_publish
from triage.verdicts.tasks import failure_analysed_task

pytestmark = pytest.mark.django_db


def notify_author_attempt(analysis) -> FixAttempt:
    return FixAttempt.objects.create(analysis=analysis, strategy=FixStrategy.NOTIFY_AUTHOR,
                                     details={"channel": "check_run"})


def publish(pr):
    return check_run_publish(pull_request_id=pr.pk, head_sha=pr.head_sha)


def test_the_attempt_records_the_sentence_the_check_run_shows_the_author(github, rocket, check_runs_on):
    pr = pull_request(rocket, 7)
    duplicates_done(pr)
    attempt = notify_author_attempt(failure_analysed(failed_check(pr)))
    row = publish(pr)
    attempt.refresh_from_db()
    assert attempt.status == FixStatus.SUCCEEDED and attempt.success is True
    assert attempt.details["channel"] == "check_run" and attempt.details["check_run_url"] == row.html_url
    assert attempt.details["sent"].startswith("tests (3.12) — a failing test. New with this pull request")
    summary = github.app.check_run_get("acme/rocket", row.github_id)["output"]["summary"]
    assert attempt.details["sent"].removeprefix("tests (3.12)") in summary  # the summary links the name
    assert github.app.comment_writes == []  # the repository asked for no comment


def test_with_comments_on_the_author_is_mentioned_once_and_the_comment_is_edited(github, rocket, check_runs_on):
    check_runs_on.comment = True
    check_runs_on.save()
    pr = pull_request(rocket, 7, author="ada")
    duplicates_done(pr)
    failing = failed_check(pr)
    attempt = notify_author_attempt(failure_analysed(failing))
    row = publish(pr)
    publish(pr)
    [(method, comment_id, text)] = github.app.comment_writes
    assert method == "POST" and text.startswith("@ada, GitInsight's check on")
    assert "**tests (3.12)** fails with a failing test, and nothing but this pull request explains it" in text
    assert row.html_url in text
    attempt.refresh_from_db()
    assert attempt.details["channel"] == "check_run and comment" and "issuecomment" in attempt.details["comment_url"]

    # The failure is then seen elsewhere with certainty: the same comment now says nothing needs the author.
    analysis = failing.failure_analyses.get()
    analysis.attribution, analysis.attribution_confidence = "flaky", 0.95
    analysis.save()
    publish(pr)
    assert [write[:2] for write in github.app.comment_writes] == [("POST", comment_id), ("PATCH", comment_id)]
    assert "finds nothing that needs you now" in github.app.comments[comment_id]["body"]
    assert GitHubNotice.objects.get().github_comment_id == comment_id
    assert list(CheckRunPost.objects.filter(action__in=["comment", "comment_edit"]).order_by("pk")
                .values_list("action", flat=True)) == ["comment", "comment_edit"]


def test_no_comment_is_posted_when_nothing_needs_the_author(github, rocket, check_runs_on):
    check_runs_on.comment = True
    check_runs_on.save()
    pr = pull_request(rocket, 7)
    duplicates_done(pr)
    publish(pr)
    assert github.app.comment_writes == [] and not GitHubNotice.objects.exists()


def test_where_check_runs_are_off_the_attempt_says_nothing_was_sent(github, rocket):
    pr = pull_request(rocket, 7)
    analysis = failure_analysed(failed_check(pr))
    attempt = notify_author_attempt(analysis)
    assert failure_analysed_task(analysis.pk) == "off"
    attempt.refresh_from_db()
    assert attempt.status == FixStatus.SKIPPED and attempt.success is False
    assert attempt.details == {"reason": "GitInsight's check runs are off for this repository: nothing was sent"}
    assert github.app.writes == []
