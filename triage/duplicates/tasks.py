"""django-q2 tasks: take ids, load, call one service."""

from __future__ import annotations

from gitinsight.database.tenant_scope import runs_in_organization_of
from ingestion.models import Issue, PullRequest, Repository
from triage.duplicates.services.competing import (
    competing_work_for_issue,
    competing_work_update,
    superseding_commits_check,
)
from triage.duplicates.services.runs import head_analyse


@runs_in_organization_of(PullRequest)
def analysis_run_task(pull_request_id: int, head_sha: str) -> str:
    """Analyse a head once: a second delivery of the same head reuses its finished run."""
    pull_request = PullRequest.objects.select_related("repository").get(pk=pull_request_id)
    return str(head_analyse(pull_request=pull_request, head_sha=head_sha).pk)


@runs_in_organization_of(PullRequest)
def competing_work_task(pull_request_id: int) -> int:
    pull_request = PullRequest.objects.filter(pk=pull_request_id).first()
    return len(competing_work_update(pull_request=pull_request)) if pull_request is not None else 0


@runs_in_organization_of(Issue)
def competing_work_for_issue_task(issue_id: int) -> int:
    issue = Issue.objects.filter(pk=issue_id).first()
    return competing_work_for_issue(issue=issue) if issue is not None else 0


@runs_in_organization_of(Repository)
def superseding_commits_task(repository_id: int, commit_ids: list[int]) -> int:
    return len(superseding_commits_check(repository_id=repository_id, commit_ids=commit_ids))
