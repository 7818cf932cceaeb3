"""The requests GitInsight makes about its check runs and comments, with the credentials of the
App installation bound to the repository's organization (only a GitHub App may write check
runs). No request is retried here: a refused or failed one is recorded by the caller and
posted again later, after the caller has looked for a check run a lost answer may have created."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from ingestion.core.rate_limit import RateLimitPolicy
from ingestion.models import PullRequest, Repository
from ingestion.models.check_runs import GITINSIGHT_EXTERNAL_ID_PREFIX
from ingestion.services.github_api.auth import github_for_installation, repository_access
from ingestion.services.github_api.client import GitHubClient
from ingestion.services.github_api.errors import GitHubNotConfigured
from triage.verdicts.core.facts import CHECK_RUN_NAME

#: longest in-process wait for a rate-limit reset; a longer one reschedules the post instead
RATE_LIMIT_MAX_WAIT = 60.0


class ChecksNeedAnApp(GitHubNotConfigured):
    """GitHub lets only Apps write check runs; the repository is read with the personal token."""


def checks_client(repository: Repository, *, policy: RateLimitPolicy | None = None) -> GitHubClient:
    """A client with the App installation bound to the repository's organization on its owner's
    account. ChecksNeedAnApp when the repository is read with the personal token."""
    access = repository_access(full_name=repository.full_name, organization=repository.organization,
                               preferred=repository.installation)
    if access.installation is None:
        raise ChecksNeedAnApp(
            f"only a GitHub App can post check runs, and {repository.full_name} is read with the personal token: "
            "set up the App from the admin (the Installations page) and install it on "
            f"{repository.owner}"
        )
    return GitHubClient(
        github_for_installation(access.installation.github_id),
        policy=policy or RateLimitPolicy(reserve=0, max_wait=RATE_LIMIT_MAX_WAIT),
        retries=0,
        per_page=settings.GITHUB_API_PER_PAGE,
    )


def external_id_for(pull_request: PullRequest) -> str:
    return f"{GITINSIGHT_EXTERNAL_ID_PREFIX}pull/{pull_request.number}"


def check_run_find(client: GitHubClient, *, repository: Repository, head_sha: str, external_id: str) -> dict | None:
    """GitInsight's check run on `head_sha` with `external_id`, if GitHub has one (a create
    whose answer was lost still made it)."""
    params: dict[str, Any] = {"check_name": CHECK_RUN_NAME, "filter": "all"}
    if settings.GITHUB_APP_ID:
        params["app_id"] = settings.GITHUB_APP_ID
    for run in client.items(f"/repos/{repository.full_name}/commits/{head_sha}/check-runs", params=params,
                            wrap="check_runs"):
        if run.get("external_id") == external_id:
            return run
    return None


def check_run_create(client: GitHubClient, *, repository: Repository, body: dict[str, Any]) -> dict:
    response = client.request("POST", f"/repos/{repository.full_name}/check-runs", json=body)
    return response.raw_response.json()


def check_run_update(client: GitHubClient, *, repository: Repository, github_id: int, body: dict[str, Any]) -> dict:
    response = client.request("PATCH", f"/repos/{repository.full_name}/check-runs/{github_id}", json=body)
    return response.raw_response.json()


def comment_create(client: GitHubClient, *, repository: Repository, number: int, text: str) -> dict:
    response = client.request("POST", f"/repos/{repository.full_name}/issues/{number}/comments",
                              json={"body": text})
    return response.raw_response.json()


def comment_update(client: GitHubClient, *, repository: Repository, comment_id: int, text: str) -> dict:
    response = client.request("PATCH", f"/repos/{repository.full_name}/issues/comments/{comment_id}",
                              json={"body": text})
    return response.raw_response.json()
