"""Which credentials a repository's requests use: the GitHub App installation that covers
it when GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY are set, else GITHUB_TOKEN. The base
URL is GITHUB_API_URL (GitHub Enterprise: https://HOST/api/v3)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from githubkit import AppAuthStrategy, AppInstallationAuthStrategy, GitHub, TokenAuthStrategy
from githubkit.exception import RequestFailed

from ingestion.core.rate_limit import RateLimitPolicy
from ingestion.models import Repository
from ingestion.services.github_api.client import GitHubClient
from ingestion.services.github_api.errors import GitHubApiError, GitHubNotConfigured


def _private_key() -> str:
    """The App's PEM key: the key itself (newlines may be written as \\n in the
    environment) or the path of a file holding it."""
    value = settings.GITHUB_APP_PRIVATE_KEY.replace("\\n", "\n").strip()
    if value and not value.startswith("-----BEGIN"):
        return Path(value).read_text()
    return value


def _github(auth) -> GitHub:
    # githubkit's own retry sleeps for the full retry-after; RateLimitPolicy decides instead.
    return GitHub(auth, base_url=settings.GITHUB_API_URL, auto_retry=False, http_cache=False,
                  timeout=settings.GITHUB_API_TIMEOUT, user_agent="GitInsight")


def installation_id_for(full_name: str) -> int:
    """The id of the App installation that covers `full_name`, asked as the App (JWT)."""
    app = _github(AppAuthStrategy(settings.GITHUB_APP_ID, _private_key()))
    try:
        response = app.request("GET", f"repos/{full_name}/installation")
    except RequestFailed as exc:
        raise GitHubApiError(
            f"the GitHub App {settings.GITHUB_APP_ID} is not installed on {full_name} "
            f"({exc.response.status_code})", status=exc.response.status_code,
        ) from exc
    return int(response.json()["id"])


def github_for(*, full_name: str, installation_github_id: int | None = None) -> GitHub:
    if settings.GITHUB_APP_ID and settings.GITHUB_APP_PRIVATE_KEY:
        installation = installation_github_id or installation_id_for(full_name)
        return _github(AppInstallationAuthStrategy(settings.GITHUB_APP_ID, _private_key(), installation))
    if settings.GITHUB_TOKEN:
        return _github(TokenAuthStrategy(settings.GITHUB_TOKEN))
    raise GitHubNotConfigured(
        "no GitHub credentials: set GITHUB_TOKEN, or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY"
    )


def default_policy() -> RateLimitPolicy:
    return RateLimitPolicy(
        reserve=settings.GITHUB_RATE_LIMIT_RESERVE,
        max_wait=settings.GITHUB_RATE_LIMIT_MAX_WAIT,
    )


def client_for(
    *, full_name: str, installation_github_id: int | None = None, policy: RateLimitPolicy | None = None
) -> GitHubClient:
    return GitHubClient(
        github_for(full_name=full_name, installation_github_id=installation_github_id),
        policy=policy or default_policy(),
        per_page=settings.GITHUB_API_PER_PAGE,
        backoff=settings.GITHUB_API_RETRY_BACKOFF,
    )


def client_for_repository(repository: Repository, *, policy: RateLimitPolicy | None = None) -> GitHubClient:
    installation = repository.installation.github_id if repository.installation_id else None
    return client_for(full_name=repository.full_name, installation_github_id=installation, policy=policy)
