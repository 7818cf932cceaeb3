"""The per-entity mappings, on GitHub's own example payloads."""

from decimal import Decimal

import pytest

from ingestion.core.normalize import (
    PayloadError,
    check_run_fields,
    check_suite_fields,
    comment_fields,
    commit_fields,
    milestone_fields,
    pull_request_fields,
    repository_fields,
    review_fields,
    workflow_job_fields,
    workflow_run_fields,
)
from tests.ingestion.conftest import example


def test_it_reads_a_push_repository_with_epoch_times(examples):
    fields = repository_fields(example(examples, "push")["repository"])
    assert fields["full_name"] == "Codertocat/Hello-World"
    assert fields["github_created_at"].year == 2019


def test_it_reads_gh_archive_short_repository_shapes():
    fields = repository_fields({"id": 1, "name": "psf/requests", "url": "https://api.github.com/repos/psf/requests"})
    assert (fields["owner"], fields["name"]) == ("psf", "requests")
    assert "stars" not in fields


def test_it_marks_a_merged_pull_request_merged(examples):
    data = example(examples, "pull_request", "closed")["pull_request"]
    data.update(merged=True, merged_at="2019-05-15T15:20:33Z")
    fields = pull_request_fields(data)
    assert (fields["state"], fields["merged"]) == ("merged", True)


def test_it_keeps_counts_out_when_a_list_item_lacks_them(examples):
    data = example(examples, "pull_request", "opened")["pull_request"]
    for key in ("additions", "deletions", "changed_files", "commits"):
        data.pop(key, None)
    assert "additions" not in pull_request_fields(data)


def test_it_derives_milestone_completion():
    fields = milestone_fields({"id": 1, "number": 2, "title": "v1", "open_issues": 1, "closed_issues": 3})
    assert (fields["total_issues"], fields["completion_percentage"]) == (4, Decimal("75.00"))


def test_it_points_an_actions_check_run_at_its_job_logs(examples):
    data = example(examples, "check_run")["check_run"]
    data["app"] = {"slug": "github-actions"}
    assert check_run_fields(data)["logs_url"].endswith("/actions/jobs/128620228/logs")


def test_it_reads_a_push_commit_without_line_counts(examples):
    payload = next(p for p in examples["push"] if p["commits"])
    fields = commit_fields(payload["commits"][0])
    assert fields["stats_complete"] is False
    assert fields["sha"] == payload["commits"][0]["id"]


def test_it_computes_a_job_duration(examples):
    data = example(examples, "workflow_job", "completed")["workflow_job"]
    fields = workflow_job_fields(data)
    assert fields["duration_seconds"] == int((fields["completed_at"] - fields["started_at"]).total_seconds())


def test_it_names_the_missing_key():
    with pytest.raises(PayloadError, match="'id'"):
        pull_request_fields({"number": 1})


def test_it_reads_a_gh_archive_push_commit_named_by_sha():
    fields = commit_fields({"sha": "a" * 40, "author": {"name": "Ada", "email": "ada@example.org"}, "message": "Fix"})
    assert (fields["sha"], fields["author_name"], fields["committed_at"]) == ("a" * 40, "Ada", None)


HOSTILE_SHAS = ["--output=/tmp/x", "HEAD", "main", "a" * 39, "g" * 40, "a" * 40 + "\n", "a" * 41, "^" + "a" * 40]


@pytest.mark.parametrize("sha", HOSTILE_SHAS)
@pytest.mark.parametrize("side", ["base", "head"])
def test_a_pull_request_sha_must_be_a_commit_sha(examples, side, sha):
    data = example(examples, "pull_request", "opened")["pull_request"]
    data[side]["sha"] = sha
    with pytest.raises(PayloadError, match=f"pull request {side} sha is not a commit SHA"):
        pull_request_fields(data)


@pytest.mark.parametrize(
    ("normalise", "event", "part", "key"),
    [
        (check_run_fields, "check_run", "check_run", "head_sha"),
        (check_suite_fields, "check_suite", "check_suite", "head_sha"),
        (check_suite_fields, "check_suite", "check_suite", "before"),
        (workflow_run_fields, "workflow_run", "workflow_run", "head_sha"),
        (workflow_job_fields, "workflow_job", "workflow_job", "head_sha"),
        (review_fields, "pull_request_review", "review", "commit_id"),
        (lambda data: comment_fields(data, kind="review"), "pull_request_review_comment", "comment", "commit_id"),
    ],
)
def test_every_sha_a_payload_carries_is_checked(examples, normalise, event, part, key):
    data = example(examples, event)[part]
    data[key] = "--output=/tmp/x"
    with pytest.raises(PayloadError, match="not a commit SHA"):
        normalise(data)


def test_push_and_rest_commit_shas_are_checked(examples):
    with pytest.raises(PayloadError, match="not a commit SHA"):
        commit_fields({"id": "--output=/tmp/x", "message": "Fix"})
    with pytest.raises(PayloadError, match="not a commit SHA"):
        commit_fields({"sha": "a" * 40, "commit": {"message": "Fix"}, "parents": [{"sha": "--all"}]})


def test_shas_are_stored_in_lower_case_and_sha256_repositories_are_accepted(examples):
    data = example(examples, "pull_request", "opened")["pull_request"]
    data["head"]["sha"] = "ABCDEF" + "0" * 34
    data["base"]["sha"] = "b" * 64
    fields = pull_request_fields(data)
    assert (fields["head_sha"], fields["base_sha"]) == ("abcdef" + "0" * 34, "b" * 64)


def test_a_missing_sha_stays_empty(examples):
    data = example(examples, "pull_request", "opened")["pull_request"]
    data["base"]["sha"] = None
    data["merge_commit_sha"] = None
    fields = pull_request_fields(data)
    assert (fields["base_sha"], fields["merge_commit_sha"]) == ("", "")
