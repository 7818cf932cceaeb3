"""Which credentials a repository's requests use, decided from what GitInsight itself knows,
never from a name a tenant typed:

- the GitHub App installation bound to the repository's organization on the account that
  owns the repository (GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY set). An installation is
  bound by GitHub's installation webhook or by an operator in the admin; the App is never
  asked which installation covers a name;
- else the personal GITHUB_TOKEN, only for the organization and repository pairs the
  operator listed in GITHUB_TOKEN_REPOSITORIES.

The base URL is GITHUB_API_URL (GitHub Enterprise: https://HOST/api/v3)."""

from __future__ import annotations

import functools
import ssl
from dataclasses import dataclass
from pathlib import Path

import httpx
from django.conf import settings
from githubkit import AppInstallationAuthStrategy, GitHub, TokenAuthStrategy

from gitinsight.models import Organization
from ingestion.core.normalize.names import full_name_check, full_name_valid
from ingestion.core.rate_limit import RateLimitPolicy
from ingestion.models import Installation, Repository
from ingestion.services.github_api.client import GitHubClient
from ingestion.services.github_api.errors import GitHubNotConfigured, RepositoryAccessDenied


@dataclass(frozen=True)
class RepositoryAccess:
    """How requests about one repository authenticate: `installation`'s token, or the
    personal token when it is None."""

    installation: Installation | None

    def __str__(self) -> str:
        if self.installation is None:
            return "the personal token (GITHUB_TOKEN)"
        return f"GitHub App installation {self.installation.github_id} on {self.installation.account_login}"


def app_configured() -> bool:
    return bool(settings.GITHUB_APP_ID and settings.GITHUB_APP_PRIVATE_KEY)


def installation_covering(
    *, owner: str, organization: Organization, preferred: Installation | None = None
) -> Installation | None:
    """The live App installation bound to `organization` on the GitHub account `owner` (an
    installation only ever covers its own account's repositories); `preferred` when it is one."""
    installations = Installation.objects.filter(
        organization=organization, account_login__iexact=owner, deleted_at__isnull=True, suspended_at__isnull=True
    )
    if preferred is not None and installations.filter(pk=preferred.pk).exists():
        return preferred
    return installations.order_by("-pk").first()


def token_allowed(*, full_name: str, organization: Organization) -> bool:
    """Whether the operator listed `organization`:`full_name` (or `organization`:OWNER/*) in
    GITHUB_TOKEN_REPOSITORIES. GitHubNotConfigured names an entry that is not of that form."""
    wanted_owner = full_name.partition("/")[0].lower()
    for entry in settings.GITHUB_TOKEN_REPOSITORIES:
        login, _, pattern = entry.strip().partition(":")
        owner, _, name = pattern.partition("/")
        if not login or not full_name_valid(pattern if name != "*" else f"{owner}/x"):
            raise GitHubNotConfigured(
                f"GITHUB_TOKEN_REPOSITORIES: {entry!r} is not ORGANIZATION:OWNER/NAME or ORGANIZATION:OWNER/*"
            )
        if login.lower() != organization.login.lower():
            continue
        if pattern.lower() == full_name.lower() or (name == "*" and owner.lower() == wanted_owner):
            return True
    return False


_NO_CREDENTIALS = "no GitHub credentials: set GITHUB_TOKEN, or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY"


def repository_access(
    *, full_name: str, organization: Organization, preferred: Installation | None = None
) -> RepositoryAccess:
    """The credentials `organization` may use for `full_name`, or RepositoryAccessDenied
    saying why there are none (GitHubNotConfigured when the server has no credentials)."""
    full_name_check(full_name)
    if not app_configured() and not settings.GITHUB_TOKEN:
        raise GitHubNotConfigured(_NO_CREDENTIALS)
    owner = full_name.partition("/")[0]
    reasons = []
    if app_configured():
        installation = installation_covering(owner=owner, organization=organization, preferred=preferred)
        if installation is not None:
            return RepositoryAccess(installation)
        reasons.append(
            f"no GitHub App installation bound to {organization.login} is on the account {owner} (install the App "
            f"there, or ask an operator to bind its installation to {organization.login})"
        )
    if settings.GITHUB_TOKEN:
        if token_allowed(full_name=full_name, organization=organization):
            return RepositoryAccess(None)
        reasons.append(
            f"the operator has not allowed the personal token for {organization.login}:{full_name} "
            "(GITHUB_TOKEN_REPOSITORIES)"
        )
    raise RepositoryAccessDenied(f"{organization.login} cannot read {full_name} from GitHub: {'; '.join(reasons)}.")


def _private_key() -> str:
    """The App's PEM key: the key itself (newlines may be written as \\n in the
    environment) or the path of a file holding it."""
    value = settings.GITHUB_APP_PRIVATE_KEY.replace("\\n", "\n").strip()
    if value and not value.startswith("-----BEGIN"):
        return Path(value).read_text()
    return value


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One per process: building it reads the whole CA bundle (about 0.1 s of CPU), which
    every new client would otherwise do again (a check run edit makes one). The same
    certificates as httpx's own default (certifi, or SSL_CERT_FILE / SSL_CERT_DIR)."""
    return httpx.create_ssl_context()


def _github(auth) -> GitHub:
    # githubkit's own retry sleeps for the full retry-after; RateLimitPolicy decides instead.
    return GitHub(auth, base_url=settings.GITHUB_API_URL, auto_retry=False, http_cache=False,
                  timeout=settings.GITHUB_API_TIMEOUT, user_agent="GitInsight", ssl_verify=_tls_context())


def github_for_installation(installation_github_id: int) -> GitHub:
    """Requests with a token of this App installation (minted, and renewed, by githubkit)."""
    if not app_configured():
        raise GitHubNotConfigured("GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY are needed for an App installation")
    return _github(AppInstallationAuthStrategy(settings.GITHUB_APP_ID, _private_key(), installation_github_id))


def github_for_token() -> GitHub:
    if not settings.GITHUB_TOKEN:
        raise GitHubNotConfigured(_NO_CREDENTIALS)
    return _github(TokenAuthStrategy(settings.GITHUB_TOKEN))


def github_for_repository(repository: Repository) -> GitHub:
    """A GitHub client with the credentials `repository`'s organization may use for it."""
    access = repository_access(
        full_name=repository.full_name, organization=repository.organization, preferred=repository.installation
    )
    if access.installation is None:
        return github_for_token()
    return github_for_installation(access.installation.github_id)


def default_policy() -> RateLimitPolicy:
    return RateLimitPolicy(
        reserve=settings.GITHUB_RATE_LIMIT_RESERVE,
        max_wait=settings.GITHUB_RATE_LIMIT_MAX_WAIT,
    )


def github_client(github: GitHub, *, policy: RateLimitPolicy | None = None) -> GitHubClient:
    return GitHubClient(
        github,
        policy=policy or default_policy(),
        per_page=settings.GITHUB_API_PER_PAGE,
        backoff=settings.GITHUB_API_RETRY_BACKOFF,
    )


def client_for_repository(repository: Repository, *, policy: RateLimitPolicy | None = None) -> GitHubClient:
    return github_client(github_for_repository(repository), policy=policy)
