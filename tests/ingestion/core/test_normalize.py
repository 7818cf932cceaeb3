"""The per-entity mappings, on GitHub's own example payloads."""

from decimal import Decimal

import pytest

from ingestion.core.normalize import (
    PayloadError,
    check_run_fields,
    commit_fields,
    milestone_fields,
    pull_request_fields,
    repository_fields,
    workflow_job_fields,
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
