"""Every handled event, replayed from GitHub's own example payloads, becomes rows."""

import pytest

from ingestion.models import (
    CheckRun,
    CheckSuite,
    Comment,
    Commit,
    Installation,
    Issue,
    Milestone,
    PullRequest,
    PullRequestStateHistory,
    Repository,
    Review,
    WebhookDelivery,
    WorkflowJob,
    WorkflowRun,
)

pytestmark = pytest.mark.django_db

EXPECTED_ROWS = {
    "ping": [],
    "installation": [Installation, Repository],
    "installation_repositories": [Installation, Repository],
    "repository": [Repository],
    "push": [Commit],
    "pull_request": [PullRequest, PullRequestStateHistory],
    "pull_request_review": [PullRequest, Review],
    "pull_request_review_comment": [PullRequest, Comment],
    "issues": [Issue],
    "issue_comment": [Issue, Comment],
    "milestone": [Milestone],
    "check_suite": [CheckSuite],
    "check_run": [CheckRun, CheckSuite],
    "workflow_run": [WorkflowRun],
    "workflow_job": [WorkflowJob],
}


@pytest.mark.parametrize("event", sorted(EXPECTED_ROWS))
def test_it_turns_every_example_delivery_into_rows(github, examples, event):
    # Deletions last: the examples of one event share ids, and a deletion removes rows.
    payloads = sorted(examples[event], key=lambda payload: payload.get("action") == "deleted")
    for number, payload in enumerate(payloads):
        if payload.get("action") == "deleted":
            for model in EXPECTED_ROWS[event]:
                assert model.objects.exists(), f"{event} stored no {model.__name__}"
        response = github.send(event, payload, delivery_id=f"{event}-{number}")
        assert response.status_code == 202, response.content
    errors = dict(WebhookDelivery.objects.exclude(status="PROCESSED").values_list("delivery_id", "error"))
    assert WebhookDelivery.objects.count() == len(payloads)
    assert not errors
    if not any(payload.get("action") == "deleted" for payload in payloads):
        for model in EXPECTED_ROWS[event]:
            assert model.objects.exists(), f"{event} stored no {model.__name__}"


def test_it_maps_a_pull_request_payload_field_by_field(github, examples):
    from tests.ingestion.conftest import example

    payload = example(examples, "pull_request", "opened")
    github.send("pull_request", payload, delivery_id="pr-opened")
    data = payload["pull_request"]
    stored = PullRequest.objects.get()
    assert (stored.github_id, stored.number, stored.state) == (data["id"], data["number"], "open")
    assert (stored.head_sha, stored.base_ref) == (data["head"]["sha"], data["base"]["ref"])
    assert stored.author_login == data["user"]["login"]
    assert stored.repository.organization.login == payload["repository"]["owner"]["login"]
    assert stored.last_ingested_delivery_id == "pr-opened"
    history = stored.state_history.get()
    assert (history.old_state, history.new_state, history.trigger_event) == ("", "open", "opened")
