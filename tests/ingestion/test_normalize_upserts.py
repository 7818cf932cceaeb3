"""Upserts: idempotent, history on every state or head change, signals after commit."""

from datetime import timedelta

import pytest

from ingestion import signals
from ingestion.core.normalize.common import timestamp
from ingestion.models import CheckRun, Commit, PullRequest, PullRequestFile, Repository, WorkflowJob
from ingestion.selectors import pull_request_files_at_head
from ingestion.services import (
    check_run_upsert,
    commit_upsert,
    pull_request_files_replace,
    pull_request_upsert,
    repository_upsert,
    workflow_job_upsert,
    workflow_run_upsert,
)
from tests.ingestion.conftest import example

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """Signals received, as (signal name, kwargs)."""
    events = []
    names = ["pull_request_opened", "pull_request_head_changed", "pull_request_closed", "check_run_completed"]

    def listener(name):
        def receive(sender, signal, **kwargs):
            events.append((name, kwargs))

        return receive

    receivers = {name: listener(name) for name in names}
    for name, receiver in receivers.items():
        getattr(signals, name).connect(receiver)
    yield events
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)


def later(data: dict, minutes: int) -> dict:
    data["updated_at"] = (timestamp(data["updated_at"]) + timedelta(minutes=minutes)).isoformat()
    return data


@pytest.fixture
def opened(examples) -> dict:
    return example(examples, "pull_request", "opened")


@pytest.fixture
def repository(opened) -> Repository:
    return repository_upsert(data=opened["repository"])


def test_it_records_the_life_of_a_pull_request(repository, opened, heard, django_capture_on_commit_callbacks):
    data = opened["pull_request"]
    with django_capture_on_commit_callbacks(execute=True):
        pull_request_upsert(repository=repository, data=data, delivery_id="d1", action="opened")
        data = later(dict(data, head={**data["head"], "sha": "f" * 40}), 1)
        pull_request_upsert(repository=repository, data=data, delivery_id="d2", action="synchronize")
        data = later(dict(data, state="closed", merged=True, merged_at=data["updated_at"]), 1)
        pull_request_upsert(repository=repository, data=data, delivery_id="d3", action="closed")
    stored = PullRequest.objects.get()
    history = list(stored.state_history.order_by("pk").values_list("old_state", "new_state", "trigger_event"))
    assert history == [("", "open", "opened"), ("open", "open", "synchronize"), ("open", "merged", "closed")]
    assert [name for name, _ in heard] == ["pull_request_opened", "pull_request_head_changed", "pull_request_closed"]
    assert heard[1][1]["previous_head_sha"] == opened["pull_request"]["head"]["sha"]
    assert heard[2][1]["merged"] is True
    assert stored.last_ingested_delivery_id == "d3"


def test_it_writes_nothing_new_for_the_same_json_twice(repository, opened):
    pull_request_upsert(repository=repository, data=opened["pull_request"])
    pull_request_upsert(repository=repository, data=opened["pull_request"])
    assert PullRequest.objects.get().state_history.count() == 1


def test_it_ignores_json_older_than_what_is_stored(repository, opened):
    newer = later(dict(opened["pull_request"], title="newer"), 5)
    pull_request_upsert(repository=repository, data=newer)
    pull_request_upsert(repository=repository, data=opened["pull_request"])
    assert PullRequest.objects.get().title == "newer"


def test_it_keeps_files_per_head_sha(repository, opened):
    pull_request = pull_request_upsert(repository=repository, data=opened["pull_request"])
    files = [{"filename": "src/a.py", "status": "modified", "additions": 2, "deletions": 1, "patch": "@@"}]
    pull_request_files_replace(pull_request=pull_request, head_sha="a" * 40, items=files)
    pull_request_files_replace(pull_request=pull_request, head_sha="b" * 40, items=[*files, {"filename": "docs/x.md"}])
    pull_request_files_replace(pull_request=pull_request, head_sha="b" * 40, items=files)
    rows = PullRequestFile.objects.order_by("head_sha").values_list("head_sha", "path", "channel")
    assert list(rows) == [("a" * 40, "src/a.py", "PRODUCTION"), ("b" * 40, "src/a.py", "PRODUCTION")]
    assert [f.head_sha for f in pull_request_files_at_head(pull_request, "b" * 40)] == ["b" * 40]


def test_a_push_never_erases_line_counts_from_a_clone(repository, examples):
    payload = next(p for p in examples["push"] if p["commits"])
    data = payload["commits"][0]
    Commit.objects.create(repository=repository, sha=data["id"], message="full", lines_added=10, files_changed=1)
    commit_upsert(repository=repository, data=data, source="webhook")
    stored = Commit.objects.get()
    assert (stored.lines_added, stored.message, stored.author_login) == (10, "full", data["author"]["username"])


def test_a_completed_check_run_is_announced_once_and_linked(
    repository, opened, examples, heard, django_capture_on_commit_callbacks
):
    pull_request = pull_request_upsert(repository=repository, data=opened["pull_request"])
    data = example(examples, "check_run", "completed")["check_run"]
    data["pull_requests"] = [{"number": pull_request.number, "id": 1}]
    with django_capture_on_commit_callbacks(execute=True):
        check_run_upsert(repository=repository, data=data)
        check_run_upsert(repository=repository, data=data)
    assert CheckRun.objects.get().pull_request == pull_request
    assert [name for name, _ in heard].count("check_run_completed") == 1


def test_a_job_that_arrives_before_its_run_is_linked_later(repository, examples):
    job = example(examples, "workflow_job")["workflow_job"]
    run = example(examples, "workflow_run")["workflow_run"]
    job["run_id"] = run["id"]
    workflow_job_upsert(repository=repository, data=job)
    stored_run = workflow_run_upsert(repository=repository, data=run)
    assert WorkflowJob.objects.get().run == stored_run
