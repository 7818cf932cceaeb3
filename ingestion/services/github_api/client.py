"""A small layer over githubkit: raw JSON (the normalisers take GitHub's JSON as is), JSON
bodies for the few writes (check runs, comments), conditional requests with a stored ETag,
Link-header pagination that can start from a saved page URL, and rate limits handled by a
RateLimitPolicy instead of githubkit's own retry (whose sleep cannot be shortened in tests)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from githubkit import GitHub, Response
from githubkit.exception import (
    GitHubException,
    PrimaryRateLimitExceeded,
    RequestError,
    RequestFailed,
    SecondaryRateLimitExceeded,
)

from ingestion.core.rate_limit import RateLimitPolicy
from ingestion.services.github_api.errors import GitHubApiError, GitHubNotFound


@dataclass(frozen=True)
class ApiResponse:
    status: int
    data: Any
    etag: str
    next_url: str | None
    url: str

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class GitHubClient:
    """Use as a context manager so one HTTP connection pool serves every request."""

    def __init__(
        self,
        github: GitHub,
        *,
        policy: RateLimitPolicy | None = None,
        retries: int = 3,
        per_page: int = 100,
        backoff: float = 1.0,
    ) -> None:
        self.github = github
        self.policy = policy or RateLimitPolicy()
        self.retries = retries
        self.per_page = per_page
        #: seconds before the first retry of a 5xx or network error; doubles each time
        self.backoff = backoff
        self.requests_made = 0

    def __enter__(self) -> GitHubClient:
        self.github.__enter__()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.github.__exit__(*exc_info)

    def request(self, method: str, url: str, *, params: dict[str, Any] | None = None,
                headers: dict[str, str] | None = None, json: Any = None) -> Response:
        """One API call with the client's retry and rate-limit policy (the raw githubkit
        response: callers that need bytes, a redirect target or only a status use this).
        `json` is the body of a write."""
        attempts: Counter[str] = Counter()
        while True:
            try:
                self.requests_made += 1
                response = self.github.request(method, url, params=params, headers=headers, json=json)
            except GitHubException as exc:
                self._recover(exc, url, attempts)
                continue
            self.policy.after_response(response.headers)
            return response

    def get(self, url: str, *, params: dict[str, Any] | None = None, etag: str = "") -> ApiResponse:
        """GET `url` (a path relative to the API base, or an absolute next-page URL).
        With `etag`, an unchanged resource comes back as a 304 with no data."""
        response = self.request("GET", url, params=params, headers={"If-None-Match": etag} if etag else None)
        raw = response.raw_response
        return ApiResponse(
            status=response.status_code,
            data=None if response.status_code == 304 else raw.json(),
            etag=response.headers.get("etag", ""),
            next_url=raw.links.get("next", {}).get("url"),
            url=str(raw.request.url),
        )

    def _recover(self, exc: GitHubException, url: str, attempts: Counter[str]) -> None:
        """Wait as GitHub asks before the next attempt, or raise GitHubApiError."""
        if isinstance(exc, PrimaryRateLimitExceeded):
            self.policy.pause(exc.retry_after.total_seconds() + 1, reason="primary")
            return
        secondary_wait = _secondary_wait(exc)
        if secondary_wait is not None:
            attempts["secondary"] += 1
            if attempts["secondary"] > self.policy.max_secondary_retries:
                raise GitHubApiError(f"secondary rate limit persists for {url}", status=403, url=url) from exc
            self.policy.pause(secondary_wait, reason="secondary")
            return
        status = exc.response.status_code if isinstance(exc, RequestFailed) else None
        if status == 404:
            raise GitHubNotFound(f"GitHub has no {url} (404)", status=404, url=url) from exc
        transient = status is None or status >= 500
        if transient and attempts["transient"] < self.retries and isinstance(exc, RequestError):
            attempts["transient"] += 1
            self.policy.sleep(min(self.backoff * 2 ** (attempts["transient"] - 1), 30.0))
            return
        if isinstance(exc, RequestFailed):
            raise GitHubApiError(_failure_message(exc, url), status=status, url=url) from exc
        if isinstance(exc, RequestError):
            raise GitHubApiError(f"GitHub unreachable for {url}: {exc.exc!r}", url=url) from exc
        raise GitHubApiError(f"GitHub request for {url} failed: {exc!r}", url=url) from exc

    def pages(
        self,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        wrap: str | None = None,
        etag: str = "",
        start_url: str | None = None,
    ) -> Iterator[ApiResponse]:
        """Every page of a list endpoint, following `Link: rel="next"`. `wrap` names
        the list inside an object answer (check runs, workflow runs, jobs). With
        `start_url` (a saved next-page URL) listing resumes there. A 304 on the first
        page ends the listing after yielding it."""
        if start_url:
            response = self.get(start_url)
        else:
            response = self.get(path, params={"per_page": self.per_page, **(params or {})}, etag=etag)
        while True:
            if wrap and response.data is not None:
                response = ApiResponse(response.status, response.data.get(wrap, []), response.etag,
                                       response.next_url, response.url)
            yield response
            if response.not_modified or not response.next_url:
                return
            response = self.get(response.next_url)

    def items(self, path: str, *, params: dict[str, Any] | None = None, wrap: str | None = None) -> list[Any]:
        """All items of a (small) list endpoint, e.g. a pull request's files."""
        return [item for page in self.pages(path, params=params, wrap=wrap) for item in page.data]


def _secondary_wait(exc: GitHubException) -> float | None:
    """Seconds to wait for a secondary rate limit: `retry-after` when GitHub sends it,
    else a minute (GitHub's advice) for a 403/429 whose message names the limit."""
    if isinstance(exc, SecondaryRateLimitExceeded):
        return exc.retry_after.total_seconds()
    if isinstance(exc, RequestFailed) and exc.response.status_code in (403, 429):
        try:
            message = str(exc.response.raw_response.json().get("message", ""))
        except ValueError:
            return None
        if "secondary rate limit" in message.lower():
            return 60.0
    return None


def _failure_message(exc: RequestFailed, url: str) -> str:
    try:
        message = exc.response.raw_response.json().get("message", "")
    except ValueError:
        message = exc.response.raw_response.text[:200]
    return f"GitHub answered {exc.response.status_code} for {url}: {message}"
