"""Rows shared by the database tests of triage."""

from __future__ import annotations

from datetime import UTC, datetime

from ingestion.models import PullRequest, Repository
from triage.duplicates.core.diffnorm import parse_unified_diff
from triage.duplicates.core.signature import pr_signature
from triage.duplicates.services.runs import analysis_run_create, analysis_run_execute


def make_repository(organization, name: str = "rocket") -> Repository:
    return Repository.objects.create(
        organization=organization, owner=organization.login, name=name, full_name=f"{organization.login}/{name}"
    )


def make_pull_request(repository: Repository, number: int, title: str, *, day: int = 1) -> PullRequest:
    return PullRequest.objects.create(
        repository=repository,
        number=number,
        title=title,
        head_sha=f"{number:040x}",
        created_at=datetime(2025, 1, day, tzinfo=UTC),
    )


def analyse(pull_request: PullRequest, diff: str):
    """Run the whole analysis of the PR's head on a given diff (no clone or GitHub needed)."""
    run = analysis_run_create(pull_request=pull_request, head_sha=pull_request.head_sha)
    signature = pr_signature(parse_unified_diff(diff), title=pull_request.title, body=pull_request.body)
    return analysis_run_execute(run=run, signature=signature, embed=False)
