# Fixtures are imported from tests.fakes.fixtures, so test arguments shadow those imports.
# ruff: noqa: F811
"""Backfill of a repository from the fake GitHub over real HTTP: every resource stored
through the shared upserts, incremental re-runs, and a crash followed by a resume."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from ingestion.models import (
    BackfillRun,
    CheckRun,
    Comment,
    Commit,
    CommitFile,
    Issue,
    Milestone,
    PullRequest,
    PullRequestCommit,
    PullRequestFile,
    PullRequestStateHistory,
    Repository,
    Review,
    SyncCursor,
    WorkflowJob,
    WorkflowRun,
)
from ingestion.services.github_api.auth import client_for_repository
from ingestion.services.github_api.backfill import backfill_run
from ingestion.services.github_api.errors import GitHubApiError
from tests.fakes.fixtures import (  # noqa: F401 - fixtures
    fake_github,
    github_data,
    github_settings,
    hello_world,
    policy,
    sleep,
)
from tests.fakes.github_server import Fault

PULLS = "/repos/octocat/Hello-World/pulls"


def run(repository: Repository, policy, **options) -> BackfillRun:
    backfill = BackfillRun.objects.create(repository=repository)
    client = client_for_repository(repository, policy=policy)
    client.per_page = 2  # several pages from a small repository
    return backfill_run(backfill=backfill, client=client, **options)


def snapshot() -> dict[str, list]:
    """Every stored GitHub row, without our own ids and clocks, in a stable order."""
    ignored = {"id", "ingested_at", "refreshed_at", "created_at", "updated_at", "repository", "pull_request",
               "commit", "issue", "review", "milestone", "check_suite", "run"}
    kept = {"created_at", "updated_at"}  # GitHub's times on these models
    rows = {}
    for model in [
        PullRequest, PullRequestFile, PullRequestCommit, Review, Issue, Milestone, Comment, Commit, CommitFile,
        CheckRun, WorkflowRun, WorkflowJob, PullRequestStateHistory,
    ]:
        github_times = model in (PullRequest, Issue, Milestone, Comment, WorkflowRun)
        drop = ignored - (kept if github_times else set())
        dicts = [{k: v for k, v in model_to_dict(row).items() if k not in drop} for row in model.objects.all()]
        rows[model.__name__] = sorted(dicts, key=lambda d: json.dumps(d, sort_keys=True, default=str))
    return rows


def test_it_backfills_every_resource(github_settings, fake_github, github_data, hello_world, policy):
    backfill = run(hello_world, policy)

    assert backfill.status == BackfillRun.Status.COMPLETED, backfill.error
    hello_world.refresh_from_db()
    assert hello_world.github_id == github_data.repo["id"] and hello_world.stars == github_data.repo["stargazers_count"]
    assert PullRequest.objects.filter(repository=hello_world).count() == 5
    merged = PullRequest.objects.get(number=5)
    assert merged.state == PullRequest.State.MERGED and merged.additions == 19 and merged.changed_files == 2
    assert PullRequestFile.objects.filter(pull_request=merged, head_sha=merged.head_sha).count() == 2
    assert list(merged.pr_commits.values_list("sha", flat=True)) == [c["sha"] for c in github_data.pull_commits[5]]
    assert Review.objects.filter(pull_request=merged, state="approved").count() == 1
    assert Issue.objects.filter(repository=hello_world).count() == 9
    assert Issue.objects.filter(is_pull_request=True).count() == 5
    assert Milestone.objects.filter(repository=hello_world).count() == 2
    assert Comment.objects.filter(kind="issue").count() == 4
    assert Comment.objects.filter(kind="pull_request", pull_request__isnull=False).count() == 5
    assert Comment.objects.filter(kind="review", pull_request__number=1).count() == 1
    commits = Commit.objects.filter(repository=hello_world, source=Commit.Source.API)
    assert commits.filter(stats_complete=True).count() == commits.count() == 6 + 10
    assert CheckRun.objects.filter(repository=hello_world).count() == 10
    assert CheckRun.objects.get(name="build", pull_request__number=2).conclusion == "failure"
    assert WorkflowRun.objects.count() == 3 and WorkflowJob.objects.filter(run__isnull=False).count() == 3
    assert backfill.counts["pulls"] == 5 and backfill.counts["commits"] == 6


def test_a_second_run_reads_only_what_changed(github_settings, fake_github, github_data, hello_world, policy):
    run(hello_world, policy)
    fake_github.requests.clear()

    again = run(hello_world, policy)

    assert again.status == BackfillRun.Status.COMPLETED
    assert again.counts.get("pulls", 0) == 0
    assert fake_github.requested("/repos/octocat/Hello-World")[0].status == 304
    assert fake_github.requested(PULLS)[0].status == 304
    assert not [r for r in fake_github.requests if re.match(rf"{PULLS}/\d+", r.path)]
    check_runs = [r for r in fake_github.requests if r.path.endswith("/check-runs")]
    assert len(check_runs) == 4 and {r.status for r in check_runs} == {304}  # the open pull requests' heads

    github_data.touch_pull(3, at=datetime.now(tz=UTC), title="Renamed on GitHub")
    fake_github.requests.clear()
    third = run(hello_world, policy)

    assert third.counts["pulls"] == 1
    assert PullRequest.objects.get(number=3).title == "Renamed on GitHub"
    details = {r.path for r in fake_github.requests if re.match(rf"{PULLS}/\d+", r.path)}
    assert details == {f"{PULLS}/3", f"{PULLS}/3/files", f"{PULLS}/3/commits", f"{PULLS}/3/reviews"}


def test_a_crash_mid_backfill_resumes_to_the_same_rows(github_settings, fake_github, hello_world, policy):
    run(hello_world, policy)
    uninterrupted = snapshot()
    Repository.objects.all().delete()
    repository = Repository.objects.create(organization=hello_world.organization, owner="octocat",
                                           name="Hello-World", full_name="octocat/Hello-World")
    fake_github.requests.clear()
    fake_github.add_fault(Fault(path=PULLS, page=2, drop=True, times=10))

    with pytest.raises(GitHubApiError):
        run(repository, policy)

    crashed = BackfillRun.objects.get(repository=repository)
    assert crashed.status == BackfillRun.Status.FAILED and "unreachable" in crashed.error
    cursor = SyncCursor.objects.get(repository=repository, resource="pulls")
    assert "page=2" in cursor.cursor["next_url"] and cursor.error
    assert PullRequest.objects.count() == 2  # the first page is stored

    fake_github.clear_faults()
    fake_github.requests.clear()
    resumed = run(repository, policy)

    assert resumed.status == BackfillRun.Status.COMPLETED
    assert [r.query.get("page", "1") for r in fake_github.requested(PULLS)] == ["2", "3"]
    assert snapshot() == uninterrupted


def test_a_far_rate_limit_reset_leaves_the_backfill_waiting(github_settings, fake_github, hello_world, sleep):
    from ingestion.core.rate_limit import RateLimitPolicy

    fake_github.set_rate_limit(remaining=12, reset_in=3000)
    backfill = run(hello_world, RateLimitPolicy(reserve=5, max_wait=60, sleep=sleep))

    assert backfill.status == BackfillRun.Status.WAITING
    assert backfill.resume_at is not None and backfill.finished_at is None
    assert sleep.waits == []


def test_ingest_github_prints_a_one_line_json_summary(github_settings, fake_github, hello_world, capsys):
    call_command("ingest_github", "octocat/Hello-World", "--no-progress")

    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["repository"] == "octocat/Hello-World" and summary["status"] == "completed"
    assert summary["counts"]["pulls"] == 5 and summary["requests"] > 0


def test_ingest_github_fails_clearly_for_an_unknown_repository(github_settings, fake_github, hello_world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not connected"):
        call_command("ingest_github", "octocat/Unknown", "--no-progress")


def test_the_task_schedules_the_resume_of_a_waiting_backfill(github_settings, fake_github, hello_world):
    from django_q.models import Schedule

    from ingestion.tasks import backfill_run_task

    github_settings.GITHUB_RATE_LIMIT_RESERVE = 5
    github_settings.GITHUB_RATE_LIMIT_MAX_WAIT = 60
    fake_github.set_rate_limit(remaining=12, reset_in=3000)
    backfill = BackfillRun.objects.create(repository=hello_world)

    assert backfill_run_task(backfill.pk) == BackfillRun.Status.WAITING
    resume = Schedule.objects.get(name=f"ingestion: resume backfill {backfill.pk}")
    assert resume.func == "ingestion.tasks.backfill_run_task" and resume.args == f"({backfill.pk},)"
    backfill.refresh_from_db()
    assert resume.next_run == backfill.resume_at

    fake_github.reset_rate_limit()
    assert backfill_run_task(backfill.pk) == BackfillRun.Status.COMPLETED
    assert backfill_run_task(backfill.pk) == BackfillRun.Status.COMPLETED  # idempotent
    assert PullRequest.objects.filter(repository=hello_world).count() == 5


def test_secondary_rate_limits_mid_backfill_are_waited_out(github_settings, fake_github, hello_world, policy, sleep):
    fake_github.add_fault(Fault(path=PULLS, page=2, status=429, retry_after=3,
                                message="You have exceeded a secondary rate limit."))
    fake_github.add_fault(Fault(path="/repos/octocat/Hello-World/issues", status=403, retry_after=5,
                                message="You have exceeded a secondary rate limit."))

    backfill = run(hello_world, policy)

    assert backfill.status == BackfillRun.Status.COMPLETED
    assert sorted(sleep.waits) == [3, 5]
    assert PullRequest.objects.filter(repository=hello_world).count() == 5


def test_it_never_syncs_into_another_tenants_row(github_settings, fake_github, github_data, hello_world, policy,
                                                 globex):
    # globex follows the repository under its former name; GitHub now calls it octocat/Hello-World.
    Repository.objects.create(organization=globex, owner="octocat", name="Old-Name", full_name="octocat/Old-Name",
                              github_id=github_data.repo["id"])

    with pytest.raises(GitHubApiError, match="already stored"):
        run(hello_world, policy)

    assert not PullRequest.objects.exists()
    assert Repository.objects.get(github_id=github_data.repo["id"]).organization == globex


def test_ingest_github_says_which_credentials_are_missing(settings, hello_world):
    from django.core.management.base import CommandError

    settings.GITHUB_TOKEN = ""
    settings.GITHUB_APP_ID = ""
    with pytest.raises(CommandError, match="GITHUB_TOKEN"):
        call_command("ingest_github", "octocat/Hello-World", "--no-progress")
    assert not BackfillRun.objects.exists()
