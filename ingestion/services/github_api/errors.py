from __future__ import annotations

from datetime import datetime


class GitHubApiError(Exception):
    """GitHub answered with an error, or could not be reached, after the retries."""

    def __init__(self, message: str, *, status: int | None = None, url: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.url = url


class GitHubNotFound(GitHubApiError):
    """404: the repository or object does not exist, or the credentials cannot see it."""


class GitHubNotConfigured(GitHubApiError):
    """Neither GITHUB_TOKEN nor GITHUB_APP_ID with GITHUB_APP_PRIVATE_KEY is set."""


class RepositoryAccessDenied(GitHubNotConfigured):
    """No credentials may be used for this repository on behalf of its organization: no App
    installation bound to the organization covers it, and the operator did not allow the
    personal token for it."""


class RateLimitWait(Exception):
    """The rate limit resets later than we are willing to wait in-process: the caller
    should stop and resume at `resume_at` (the backfill task reschedules itself)."""

    def __init__(self, resume_at: datetime, *, reason: str) -> None:
        super().__init__(f"GitHub rate limit ({reason}); resume at {resume_at.isoformat()}")
        self.resume_at = resume_at
        self.reason = reason
