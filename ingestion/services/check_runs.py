from __future__ import annotations

from django.db import transaction

from ingestion import signals
from ingestion.core.normalize import check_run_fields, check_suite_fields, workflow_job_fields, workflow_run_fields
from ingestion.core.normalize.check_runs import pull_request_numbers
from ingestion.models import CheckRun, CheckSuite, PullRequest, Repository, WorkflowJob, WorkflowRun
from ingestion.services.rows import announce, row_upsert

#: a check or an Actions run belongs to one repository; a payload never moves it
OWNED = ("repository_id",)


def _pull_request_id(repository: Repository, *, numbers: list[int], head_sha: str) -> int | None:
    """The pull request a check concerns: the first listed number we know, else the open
    pull request whose head is the checked commit (fork PRs are not listed by GitHub)."""
    candidates = PullRequest.objects.filter(repository=repository)
    if numbers:
        found = candidates.filter(number__in=numbers).order_by("number").values_list("pk", flat=True).first()
        if found:
            return found
    if head_sha:
        return (
            candidates.filter(head_sha=head_sha, state=PullRequest.State.OPEN)
            .order_by("-number")
            .values_list("pk", flat=True)
            .first()
        )
    return None


def check_suite_upsert(*, repository: Repository, data: dict) -> CheckSuite:
    fields = check_suite_fields(data)
    github_id = fields.pop("github_id")
    fields["repository_id"] = repository.pk
    return row_upsert(
        CheckSuite, lookup={"github_id": github_id}, fields=fields, fresh_by="updated_at", scope=OWNED
    ).row


def check_run_upsert(*, repository: Repository, data: dict) -> CheckRun:
    """Store a check run; `check_run_completed` goes out when it first becomes completed."""
    fields = check_run_fields(data)
    github_id = fields.pop("github_id")
    fields["repository_id"] = repository.pk
    with transaction.atomic():
        suite = data.get("check_suite")
        if isinstance(suite, dict) and suite.get("id"):
            fields["check_suite_id"] = check_suite_upsert(repository=repository, data=suite).pk
        pull_request_id = _pull_request_id(
            repository, numbers=fields["pull_request_numbers"], head_sha=fields["head_sha"]
        )
        if pull_request_id is not None:
            fields["pull_request_id"] = pull_request_id
        result = row_upsert(CheckRun, lookup={"github_id": github_id}, fields=fields, scope=OWNED)
    became_completed = result.row.status == "completed" and (result.created or "status" in result.previous)
    if became_completed:
        announce(signals.check_run_completed, sender=CheckRun, repository_id=repository.pk, check_run_id=result.row.pk)
    return result.row


def workflow_run_upsert(*, repository: Repository, data: dict) -> WorkflowRun:
    fields = workflow_run_fields(data)
    github_id = fields.pop("github_id")
    fields["repository_id"] = repository.pk
    numbers = pull_request_numbers(data.get("pull_requests"))
    pull_request_id = _pull_request_id(repository, numbers=numbers, head_sha=fields["head_sha"])
    if pull_request_id is not None:
        fields["pull_request_id"] = pull_request_id
    with transaction.atomic():
        result = row_upsert(
            WorkflowRun, lookup={"github_id": github_id}, fields=fields, fresh_by="updated_at", scope=OWNED
        )
        WorkflowJob.objects.filter(repository=repository, run_github_id=github_id, run__isnull=True).update(
            run=result.row
        )
    return result.row


def workflow_job_upsert(*, repository: Repository, data: dict) -> WorkflowJob:
    fields = workflow_job_fields(data)
    github_id = fields.pop("github_id")
    fields["repository_id"] = repository.pk
    run_id = (
        WorkflowRun.objects.filter(repository=repository, github_id=fields["run_github_id"])
        .values_list("pk", flat=True)
        .first()
    )
    if run_id is not None:
        fields["run_id"] = run_id
    return row_upsert(WorkflowJob, lookup={"github_id": github_id}, fields=fields, scope=OWNED).row
