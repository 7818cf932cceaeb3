"""A hostile tenant's signed deliveries, replayed: organization B sends payloads that name
its own repository and the GitHub ids of organization A's rows. Nothing of A moves, changes
or disappears, B's pages show nothing of A, and the delivery is recorded as refused, in words."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.forms.models import model_to_dict

from ingestion.models import (
    CheckRun,
    CheckSuite,
    Comment,
    Issue,
    Milestone,
    PullRequest,
    Review,
    WebhookDelivery,
    WorkflowJob,
    WorkflowRun,
)
from tests.analysis.gitrepo import GitRepo
from tests.ingestion.conftest import example
from tests.tenant_fixtures import Tenant, tenant_create

pytestmark = pytest.mark.django_db

#: The rows a webhook writes, compared field by field before and after each attack.
WEBHOOK_MODELS = (PullRequest, Issue, Milestone, CheckSuite, CheckRun, WorkflowRun, WorkflowJob, Review, Comment)
UNUSED_NUMBER = 99


@pytest.fixture
def world() -> tuple[Tenant, Tenant]:
    return tenant_create("zqxalpha", number=7), tenant_create("zqxbravo", number=11)


def state(tenant: Tenant) -> dict[str, dict]:
    """Every field of the tenant's webhook-written rows, read again from the database."""
    return {
        model.__name__: model_to_dict(model.objects.get(pk=tenant.row(model).pk)) for model in WEBHOOK_MODELS
    }


def aimed_at(b: Tenant, payload: dict) -> dict:
    """`payload` as B's installation would send it about B's repository."""
    repository = b.repository
    payload["repository"] = {
        "id": repository.github_id, "name": repository.name, "full_name": repository.full_name,
        "owner": {"login": repository.owner}, "private": True,
    }
    payload["installation"] = {"id": repository.installation.github_id}
    return payload


def assert_refused(delivery_id: str, entity: str) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert delivery.status == "REFUSED", (delivery.status, delivery.error)
    assert entity in delivery.error and "another repository" in delivery.error, delivery.error
    assert "nothing was changed" in delivery.error.lower()
    return delivery


def test_a_pull_request_named_under_bs_repository_stays_in_a_and_bs_report_shows_nothing_of_it(
    world, github, examples
):
    a, b = world
    pull_request = a.row(PullRequest)
    report = f"/api/v1/triage/pull-requests/{pull_request.pk}/report"
    assert a.marker in a.api().get(report).content.decode()
    before = state(a)
    payload = aimed_at(b, example(examples, "pull_request", "opened"))
    payload["pull_request"].update(id=pull_request.github_id, number=UNUSED_NUMBER, title="taken over by bravo")
    payload["pull_request"]["head"]["sha"] = pull_request.head_sha  # so the report is of A's analysed head

    github.send("pull_request", payload, delivery_id="hostile-pull-request")

    response = b.api().get(report)
    assert response.status_code == 404 and a.marker not in response.content.decode(), response.content.decode()
    assert state(a) == before
    assert not PullRequest.objects.filter(repository=b.repository, title="taken over by bravo").exists()
    assert_refused("hostile-pull-request", "pull request")


def test_a_pull_request_naming_as_milestone_leaves_the_milestone_in_a(world, github, examples):
    a, b = world
    before = state(a)
    payload = aimed_at(b, example(examples, "pull_request", "opened"))
    milestone = {"id": a.row(Milestone).github_id, "number": UNUSED_NUMBER, "title": "bravo's now",
                 "state": "open", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2030-01-01T00:00:00Z"}
    payload["pull_request"].update(id=11_000_500, number=UNUSED_NUMBER, milestone=milestone)

    github.send("pull_request", payload, delivery_id="hostile-milestone-in-pull-request")

    assert state(a) == before
    assert not PullRequest.objects.filter(github_id=11_000_500).exists()
    assert_refused("hostile-milestone-in-pull-request", "milestone")


def test_an_issue_named_under_bs_repository_stays_in_a(world, github, examples):
    a, b = world
    before = state(a)
    payload = aimed_at(b, example(examples, "issues", "opened"))
    payload["issue"].update(id=a.row(Issue).github_id, number=UNUSED_NUMBER, title="taken over by bravo",
                            milestone=None)

    github.send("issues", payload, delivery_id="hostile-issue")

    assert state(a) == before
    assert_refused("hostile-issue", "issue")


def test_deleting_as_issue_from_bs_repository_deletes_nothing(world, github, examples):
    a, b = world
    before = state(a)
    payload = aimed_at(b, example(examples, "issues", "deleted"))
    payload["issue"].update(id=a.row(Issue).github_id, number=a.row(Issue).number)

    github.send("issues", payload, delivery_id="hostile-issue-deletion")

    assert state(a) == before
    assert_refused("hostile-issue-deletion", "issue")


def test_a_milestone_named_under_bs_repository_stays_in_a(world, github, examples):
    a, b = world
    before = state(a)
    payload = aimed_at(b, example(examples, "milestone", "created"))
    payload["milestone"].update(id=a.row(Milestone).github_id, number=UNUSED_NUMBER, title="taken over by bravo",
                                updated_at="2030-01-01T00:00:00Z")

    github.send("milestone", payload, delivery_id="hostile-milestone")

    assert state(a) == before
    assert_refused("hostile-milestone", "milestone")


def test_deleting_as_milestone_from_bs_repository_deletes_nothing(world, github, examples):
    a, b = world
    before = state(a)
    payload = aimed_at(b, example(examples, "milestone", "deleted"))
    payload["milestone"].update(id=a.row(Milestone).github_id, number=a.row(Milestone).number)

    github.send("milestone", payload, delivery_id="hostile-milestone-deletion")

    assert state(a) == before
    assert_refused("hostile-milestone-deletion", "milestone")


def test_a_check_run_named_under_bs_repository_stays_in_a(world, github, examples):
    a, b = world
    before = state(a)
    payload = aimed_at(b, example(examples, "check_run", "completed"))
    payload["check_run"].update(id=a.row(CheckRun).github_id, name="taken over by bravo", pull_requests=[])
    payload["check_run"]["check_suite"].update(id=11_000_501, pull_requests=[])

    github.send("check_run", payload, delivery_id="hostile-check-run")

    assert state(a) == before
    assert not CheckSuite.objects.filter(github_id=11_000_501).exists()
    assert_refused("hostile-check-run", "check run")


def test_a_check_run_naming_as_check_suite_leaves_the_suite_in_a(world, github, examples):
    a, b = world
    before = state(a)
    payload = aimed_at(b, example(examples, "check_run", "completed"))
    payload["check_run"].update(id=11_000_502, pull_requests=[])
    payload["check_run"]["check_suite"].update(id=a.row(CheckSuite).github_id, pull_requests=[],
                                               updated_at="2030-01-01T00:00:00Z")

    github.send("check_run", payload, delivery_id="hostile-check-suite")

    assert state(a) == before
    assert not CheckRun.objects.filter(github_id=11_000_502).exists()
    assert_refused("hostile-check-suite", "check suite")


def test_a_workflow_run_named_under_bs_repository_stays_in_a(world, github, examples):
    a, b = world
    before = state(a)
    payload = aimed_at(b, example(examples, "workflow_run", "completed"))
    payload["workflow_run"].update(id=a.row(WorkflowRun).github_id, pull_requests=[],
                                   updated_at="2030-01-01T00:00:00Z")

    github.send("workflow_run", payload, delivery_id="hostile-workflow-run")

    assert state(a) == before
    assert_refused("hostile-workflow-run", "workflow run")


def test_a_workflow_job_named_under_bs_repository_stays_in_a(world, github, examples):
    a, b = world
    before = state(a)
    payload = aimed_at(b, example(examples, "workflow_job", "completed"))
    payload["workflow_job"].update(id=a.row(WorkflowJob).github_id, run_id=11_000_503, name="taken over by bravo")

    github.send("workflow_job", payload, delivery_id="hostile-workflow-job")

    assert state(a) == before
    assert_refused("hostile-workflow-job", "workflow job")


def test_bs_job_naming_as_run_is_not_linked_to_it(world, github, examples):
    a, b = world
    payload = aimed_at(b, example(examples, "workflow_job", "completed"))
    payload["workflow_job"].update(id=11_000_504, run_id=a.row(WorkflowRun).github_id)

    github.send("workflow_job", payload, delivery_id="job-naming-a-run")

    job = WorkflowJob.objects.get(github_id=11_000_504)
    assert (job.repository, job.run) == (b.repository, None)


def test_bs_run_never_adopts_as_jobs_waiting_for_a_run_of_that_id(world, github, examples):
    a, b = world
    waiting = WorkflowJob.objects.create(repository=a.repository, github_id=7_000_505, run_github_id=7_000_506,
                                         name=f"{a.marker} waiting job")
    payload = aimed_at(b, example(examples, "workflow_run", "completed"))
    payload["workflow_run"].update(id=7_000_506, pull_requests=[])

    github.send("workflow_run", payload, delivery_id="run-adopting-a-jobs")

    waiting.refresh_from_db()
    assert waiting.run is None


def test_a_comment_named_under_bs_repository_stays_in_a(world, github, examples):
    a, b = world
    before = state(a)
    payload = aimed_at(b, example(examples, "issue_comment", "created"))
    b_issue = b.row(Issue)
    payload["issue"].update(id=b_issue.github_id, number=b_issue.number, milestone=None)
    payload["issue"].pop("pull_request", None)
    payload["comment"].update(id=a.row(Comment).github_id, body="taken over by bravo",
                              updated_at="2030-01-01T00:00:00Z")

    github.send("issue_comment", payload, delivery_id="hostile-comment")

    assert state(a) == before
    assert_refused("hostile-comment", "comment")


def test_deleting_as_comment_from_bs_repository_deletes_nothing(world, github, examples):
    a, b = world
    before = state(a)
    payload = aimed_at(b, example(examples, "issue_comment", "deleted"))
    b_issue = b.row(Issue)
    payload["issue"].update(id=b_issue.github_id, number=b_issue.number, milestone=None)
    payload["comment"].update(id=a.row(Comment).github_id)

    github.send("issue_comment", payload, delivery_id="hostile-comment-deletion")

    assert state(a) == before
    assert Comment.objects.get(pk=a.row(Comment).pk).deleted_at is None
    assert_refused("hostile-comment-deletion", "comment")


def test_deleting_as_review_comment_from_bs_pull_request_deletes_nothing(world, github, examples):
    a, b = world
    before = state(a)
    payload = aimed_at(b, example(examples, "pull_request_review_comment", "deleted"))
    b_pull_request = b.row(PullRequest)
    payload["pull_request"].update(id=b_pull_request.github_id, number=b_pull_request.number, milestone=None)
    payload["comment"].update(id=a.row(Comment).github_id)

    github.send("pull_request_review_comment", payload, delivery_id="hostile-review-comment-deletion")

    assert state(a) == before
    assert_refused("hostile-review-comment-deletion", "comment")


def test_a_review_named_under_bs_pull_request_stays_in_a(world, github, examples):
    a, b = world
    before = state(a)
    payload = aimed_at(b, example(examples, "pull_request_review", "submitted"))
    b_pull_request = b.row(PullRequest)
    payload["pull_request"].update(id=b_pull_request.github_id, number=b_pull_request.number, milestone=None)
    payload["review"].update(id=a.row(Review).github_id, body="taken over by bravo")

    github.send("pull_request_review", payload, delivery_id="hostile-review")

    assert state(a) == before
    assert_refused("hostile-review", "review")


def test_bs_review_comment_naming_as_review_is_not_attached_to_it(world, github, examples):
    a, b = world
    payload = aimed_at(b, example(examples, "pull_request_review_comment", "created"))
    b_pull_request = b.row(PullRequest)
    payload["pull_request"].update(id=b_pull_request.github_id, number=b_pull_request.number, milestone=None)
    payload["comment"].update(id=11_000_507, pull_request_review_id=a.row(Review).github_id)

    github.send("pull_request_review_comment", payload, delivery_id="comment-naming-a-review")

    comment = Comment.objects.get(github_id=11_000_507)
    assert (comment.repository, comment.review) == (b.repository, None)


def test_a_refused_delivery_is_on_the_operations_page_in_words(world, github, examples, admin_client):
    a, b = world
    payload = aimed_at(b, example(examples, "pull_request", "opened"))
    payload["pull_request"].update(id=a.row(PullRequest).github_id, number=UNUSED_NUMBER)
    github.send("pull_request", payload, delivery_id="hostile-for-operators")

    page = admin_client.get("/admin/operations/").content.decode()

    assert "Refused deliveries in the last 24 h" in page
    assert "hostile-for-operators" in page and b.repository.full_name in page
    assert "belongs to another repository" in page


def test_bs_staff_see_their_refused_delivery_and_nothing_of_a(world, github, examples, client):
    a, b = world
    payload = aimed_at(b, example(examples, "pull_request", "opened"))
    payload["pull_request"].update(id=a.row(PullRequest).github_id, number=UNUSED_NUMBER)
    github.send("pull_request", payload, delivery_id="hostile-seen-by-b")
    b.user.is_staff = True
    b.user.save()
    client.force_login(b.user)

    page = client.get("/admin/operations/").content.decode()

    assert "hostile-seen-by-b" in page
    assert a.marker not in page and a.repository.full_name not in page


@pytest.fixture
def short_folder() -> Iterator[Path]:
    """A folder whose path fits the 64 characters a stored SHA may have, as /tmp/x does."""
    folder = Path(tempfile.mkdtemp(prefix="gi-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder)


def test_a_base_sha_that_is_a_git_option_never_reaches_git_and_writes_no_file(
    world, github, examples, tmp_path, short_folder
):
    _, b = world
    clone = GitRepo(tmp_path / "clone")
    clone.commit("base", files={"app.py": "x = 1\n"})
    head = clone.commit("head", files={"app.py": "x = 2\n"})
    b.repository.local_path = str(clone.path)
    b.repository.save(update_fields=["local_path"])
    written = short_folder / "x"
    payload = aimed_at(b, example(examples, "pull_request", "opened"))
    payload["pull_request"].update(id=11_000_508, number=UNUSED_NUMBER, milestone=None)
    payload["pull_request"]["base"]["sha"] = f"--output={written}"
    payload["pull_request"]["head"]["sha"] = head

    github.send("pull_request", payload, delivery_id="option-as-sha")

    assert not list(short_folder.iterdir())
    assert not PullRequest.objects.filter(base_sha__startswith="--").exists()
    delivery = WebhookDelivery.objects.get(pk="option-as-sha")
    assert delivery.status == WebhookDelivery.Status.FAILED and "not a commit SHA" in delivery.error
