"""Completing GitHub's App manifest flow: the one-time code GitHub's redirect carries is traded
for the new App's credentials (`POST /app-manifests/{code}/conversions`, no authentication:
the code is the credential). Nothing of them is stored; the operator sets them in the
environment (ingestion.core.app_manifest says which)."""

from __future__ import annotations

import re

from django.conf import settings
from githubkit import GitHub, UnauthAuthStrategy
from githubkit.exception import GitHubException, RequestFailed

from ingestion.core.app_manifest import AppCredentials
from ingestion.services.github_api.errors import GitHubApiError

_CODE = re.compile(r"[A-Za-z0-9_-]{1,200}")


def manifest_conversion(code: str) -> AppCredentials:
    """The new App's credentials for `code`. GitHubApiError when GitHub refuses it (a code is
    valid once, for an hour) or cannot be reached."""
    if not _CODE.fullmatch(code or ""):
        raise GitHubApiError("GitHub's redirect carried no valid code")
    github = GitHub(UnauthAuthStrategy(), base_url=settings.GITHUB_API_URL, auto_retry=False, http_cache=False,
                    timeout=settings.GITHUB_API_TIMEOUT, user_agent="GitInsight")
    try:
        with github:
            response = github.request("POST", f"/app-manifests/{code}/conversions")
    except RequestFailed as error:
        status = error.response.status_code
        raise GitHubApiError(
            f"GitHub refused the code ({status}): it is valid once and for an hour; start the set-up again",
            status=status) from error
    except GitHubException as error:
        raise GitHubApiError(f"GitHub could not be reached: {error}") from error
    return AppCredentials.from_conversion(response.json())
