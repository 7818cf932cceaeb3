"""Competing work that shares no lines: claims read from titles, descriptions, commits and the
comments table, verdicts stored with evidence, shown on the report in sentences."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from ingestion.models import Comment, Commit, Issue
from tests.conftest import key_client
from tests.triage.duplicates.fixtures import make_pull_request, make_repository
from triage.duplicates.models import CompetingWork, IssueClaim
from triage.duplicates.services.competing import competing_work_update, superseding_commits_check
from triage.duplicates.tasks import competing_work_for_issue_task
from triage.report.selectors import pull_request_report

pytestmark = pytest.mark.django_db


def _comment(repository, github_id: int, body: str, *, pull_request=None, issue=None, login: str = "carol"):
    return Comment.objects.create(
        github_id=github_id, repository=repository, body=body, author_login=login,
        kind=Comment.Kind.PULL_REQUEST if pull_request else Comment.Kind.ISSUE,
        pull_request=pull_request, issue=issue, created_at=datetime(2025, 1, 3, tzinfo=UTC),
    )


@pytest.fixture
def repository(acme):
    repository = make_repository(acme)
    Issue.objects.create(repository=repository, number=40, title="Crash on empty input")
    return repository


def _pull_request(repository, number: int, title: str, *, day: int, body: str = "", author: str = "alice",
                  association: str = "MEMBER"):
    pull_request = make_pull_request(repository, number, title, day=day)
    pull_request.body, pull_request.author_login, pull_request.author_association = body, author, association
    pull_request.base_ref = "main"
    pull_request.save()
    return pull_request


def test_two_pull_requests_fixing_one_issue_are_recorded_as_the_same_issue(repository):
    first = _pull_request(repository, 1, "Handle empty input", day=1, body="Fixes #40")
    second = _pull_request(repository, 2, "Guard the parser", day=2, body="Closes #40", author="bob")
    competing_work_update(pull_request=first)
    competing_work_update(pull_request=second)
    work = CompetingWork.objects.get()
    assert (work.pull_request, work.other_pull_request, work.kind, work.issue_number) == (second, first,
                                                                                        "SAME_ISSUE", 40)
    assert work.evidence_json["claims"] == ["description"] and work.evidence_json["other_claims"] == ["description"]


def test_a_comment_on_the_pull_request_claims_the_issue_too(repository):
    first = _pull_request(repository, 1, "Handle empty input", day=1, body="Fixes #40")
    second = _pull_request(repository, 2, "Guard the parser", day=2, author="bob")
    _comment(repository, 901, "This also fixes #40, I think.", pull_request=second)
    competing_work_update(pull_request=first)
    competing_work_update(pull_request=second)
    claim = IssueClaim.objects.get(pull_request=second)
    assert claim.issue_number == 40 and claim.source == "comment by carol" and claim.comment is not None
    assert CompetingWork.objects.get().pull_request == second


def test_the_issue_naming_a_pull_request_in_its_comments_links_it(repository):
    first = _pull_request(repository, 1, "Handle empty input", day=1, body="Fixes #40")
    second = _pull_request(repository, 2, "Guard the parser", day=2, author="bob")
    _comment(repository, 902, "#2 should take care of this", issue=Issue.objects.get(number=40))
    competing_work_for_issue_task(Issue.objects.get(number=40).pk)
    competing_work_update(pull_request=first)
    assert IssueClaim.objects.get(pull_request=second).source == "comment by carol on issue #40"
    assert CompetingWork.objects.filter(pull_request=second, other_pull_request=first).exists()


def test_a_first_time_contributor_racing_an_open_pull_request_is_racing(repository):
    first = _pull_request(repository, 1, "Handle empty input", day=1, body="Fixes #40")
    competing_work_update(pull_request=first)
    racer = _pull_request(repository, 2, "Fix #40", day=2, author="zoe", association="FIRST_TIME_CONTRIBUTOR")
    competing_work_update(pull_request=racer)
    work = CompetingWork.objects.get()
    assert work.kind == "RACING" and work.evidence_json["author_kind"] == "newcomer"
    report = pull_request_report(pull_request=first)
    assert report.competing[0]["sentence"] == (
        "#2, opened later by a first-time contributor, races this pull request for issue #40 (claimed in title)."
    )
    assert pull_request_report(pull_request=racer).competing[0]["sentence"].startswith(
        "Opened by a first-time contributor for issue #40, which #1 claimed first (description)")


def test_a_pull_request_to_another_branch_is_not_competing(repository):
    _pull_request(repository, 1, "Handle empty input", day=1, body="Fixes #40")
    backport = _pull_request(repository, 2, "[1.x] Handle empty input", day=2, body="Fixes #40")
    backport.base_ref = "1.x"
    backport.save()
    assert competing_work_update(pull_request=backport) == []


def test_a_commit_pushed_to_the_default_branch_closing_the_issue_supersedes_the_open_pull_request(repository):
    pull_request = _pull_request(repository, 1, "Handle empty input", day=1, body="Fixes #40")
    competing_work_update(pull_request=pull_request)
    commit = Commit.objects.create(repository=repository, sha="c" * 40, message="Reject empty input\n\nCloses #40",
                                   committed_at=datetime(2025, 1, 5, tzinfo=UTC))
    superseding_commits_check(repository_id=repository.pk, commit_ids=[commit.pk])
    work = CompetingWork.objects.get(kind="SUPERSEDED_BY_COMMIT")
    assert work.commit_sha == "c" * 40 and work.issue_number == 40
    assert pull_request_report(pull_request=pull_request).competing[0]["sentence"] == (
        "Commit cccccccccc (Reject empty input) was pushed to the base branch and closes issue #40, "
        "which this pull request claims.")


def test_the_report_api_lists_competing_work_for_members_only(repository, bob, charlie):
    first = _pull_request(repository, 1, "Handle empty input", day=1, body="Fixes #40")
    second = _pull_request(repository, 2, "Guard the parser", day=2, body="Closes #40", author="bob")
    competing_work_update(pull_request=second)
    url = reverse("triage-pull-request-report", args=[first.pk])
    body = key_client(bob, "read").get(url).json()
    assert body["competing"][0]["kind"] == "SAME_ISSUE" and body["competing"][0]["pull_request"] == 2
    assert key_client(charlie, "read").get(url).status_code == 404


def test_the_admin_lists_competing_work_in_words(repository, client, django_user_model):
    first = _pull_request(repository, 1, "Handle empty input", day=1, body="Fixes #40")
    second = _pull_request(repository, 2, "Guard the parser", day=2, body="Closes #40", author="bob")
    competing_work_update(pull_request=first)
    competing_work_update(pull_request=second)
    client.force_login(django_user_model.objects.create_superuser(username="root", password="root-password"))
    page = client.get("/admin/triage/competingwork/").content.decode()
    assert "#1 also claims issue #40 (description)." in page
