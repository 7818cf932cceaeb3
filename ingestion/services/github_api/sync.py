"""Bring one repository up to date from the REST API: the repository itself, milestones,
pull requests (with files, commits and reviews), issues, comments, commits, check runs
of open pull requests and workflow runs with their jobs. Every object is stored through
the upserts of `ingestion.services`, the same ones webhooks and GH Archive use.

The first run is the backfill; later runs (polling) read only what changed, because each
listing keeps a watermark and an ETag (see `listing`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import datetime

from django.db import transaction

from ingestion.core.normalize.names import full_name_check
from ingestion.models import Commit, Issue, PullRequest, Repository, SyncCursor
from ingestion.services import (
    RepositoryTenantConflict,
    check_run_upsert,
    comment_upsert,
    commits_upsert,
    issue_upsert,
    milestone_upsert,
    pull_request_commits_replace,
    pull_request_files_replace,
    pull_request_upsert,
    repository_refresh,
    review_upsert,
    workflow_job_upsert,
    workflow_run_upsert,
)
from ingestion.services.github_api.client import GitHubClient
from ingestion.services.github_api.errors import GitHubApiError
from ingestion.services.github_api.listing import Listing, cursor_error, listing_sync

RESOURCES = (
    "repository", "milestones", "pulls", "issues", "issue_comments", "review_comments", "commits",
    "check_runs", "workflow_runs",
)

_NUMBER_AT_END = re.compile(r"/(\d+)$")


def _number_from_url(url: str | None) -> int | None:
    match = _NUMBER_AT_END.search(url or "")
    return int(match.group(1)) if match else None


def _workflow_created_since(moment: datetime) -> str:
    return f">={moment.date().isoformat()}"


class RepositorySync:
    """`counts` tells how many GitHub objects each resource stored in this run."""

    def __init__(
        self,
        client: GitHubClient,
        repository: Repository,
        *,
        commit_details: bool = True,
        on_progress: Callable[[str, int], None] | None = None,
    ) -> None:
        # The name becomes every request's path: a `..` part would leave `repos/`.
        full_name_check(repository.full_name)
        self.client = client
        self.repository = repository
        self.commit_details = commit_details
        self.on_progress = on_progress
        self.counts: Counter[str] = Counter()

    @property
    def api_path(self) -> str:
        return f"repos/{self.repository.full_name}"

    def run(self, resources: tuple[str, ...] = RESOURCES) -> dict[str, int]:
        for resource in resources:
            try:
                getattr(self, f"sync_{resource}")()
            except Exception as exc:
                cursor_error(self.repository, resource, f"{type(exc).__name__}: {exc}")
                raise
        return dict(self.counts)

    def _progress(self, resource: str) -> Callable[[int], None]:
        def count(n: int) -> None:
            self.counts[resource] += n
            if self.on_progress:
                self.on_progress(resource, n)

        return count

    def _listing(self, listing: Listing) -> None:
        listing_sync(self.client, self.repository, listing, on_items=self._progress(listing.resource))

    # --- resources ---------------------------------------------------------------------
    def sync_repository(self) -> None:
        cursor, _ = SyncCursor.objects.get_or_create(repository=self.repository, resource="repository")
        response = self.client.get(self.api_path, etag=cursor.etag)
        if not response.not_modified:
            try:
                self.repository = repository_refresh(repository=self.repository, data=response.data)
            except RepositoryTenantConflict as exc:
                raise GitHubApiError(str(exc)) from exc
            cursor.etag = response.etag
            self._progress("repository")(1)
        cursor.save(update_fields=["etag", "updated_at"])

    def sync_milestones(self) -> None:
        def store(items: list[dict]) -> None:
            for item in items:
                milestone_upsert(repository=self.repository, data=item)

        self._listing(Listing("milestones", f"{self.api_path}/milestones", store,
                              params={"state": "all", "sort": "due_on", "direction": "asc"}))

    def sync_pulls(self) -> None:
        self._listing(Listing(
            "pulls", f"{self.api_path}/pulls", self._store_pulls,
            params={"state": "all", "sort": "updated", "direction": "desc"},
            updated_of=lambda item: item.get("updated_at"),
        ))

    def _store_pulls(self, items: list[dict]) -> None:
        for item in items:
            number = item["number"]
            detail = self.client.get(f"{self.api_path}/pulls/{number}").data
            pull_request = pull_request_upsert(repository=self.repository, data=detail)
            files = self.client.items(f"{self.api_path}/pulls/{number}/files")
            pull_request_files_replace(pull_request=pull_request, head_sha=pull_request.head_sha, items=files)
            commits = self._with_details(self.client.items(f"{self.api_path}/pulls/{number}/commits"))
            pull_request_commits_replace(pull_request=pull_request, items=commits)
            for review in self.client.items(f"{self.api_path}/pulls/{number}/reviews"):
                review_upsert(pull_request=pull_request, data=review)
            if pull_request.head_sha:
                self._store_check_runs(pull_request.head_sha)

    def sync_issues(self) -> None:
        def store(items: list[dict]) -> None:
            for item in items:
                issue_upsert(repository=self.repository, data=item)

        self._listing(Listing("issues", f"{self.api_path}/issues", store,
                              params={"state": "all", "sort": "updated", "direction": "asc"}, since_param="since"))

    def sync_issue_comments(self) -> None:
        def store(items: list[dict]) -> None:
            for item in items:
                number = _number_from_url(item.get("issue_url"))
                pull_request = PullRequest.objects.filter(repository=self.repository, number=number).first()
                issue = Issue.objects.filter(repository=self.repository, number=number).first()
                kind = "pull_request" if pull_request or (issue and issue.is_pull_request) else "issue"
                comment_upsert(repository=self.repository, data=item, kind=kind, issue=issue,
                               pull_request=pull_request)

        self._listing(Listing("issue_comments", f"{self.api_path}/issues/comments", store,
                              params={"sort": "updated", "direction": "asc"}, since_param="since"))

    def sync_review_comments(self) -> None:
        def store(items: list[dict]) -> None:
            for item in items:
                number = _number_from_url(item.get("pull_request_url"))
                pull_request = PullRequest.objects.filter(repository=self.repository, number=number).first()
                comment_upsert(repository=self.repository, data=item, kind="review", pull_request=pull_request)

        self._listing(Listing("review_comments", f"{self.api_path}/pulls/comments", store,
                              params={"sort": "updated", "direction": "asc"}, since_param="since"))

    def sync_commits(self) -> None:
        self._listing(Listing("commits", f"{self.api_path}/commits", self._store_commits, since_param="since"))

    def _store_commits(self, items: list[dict]) -> None:
        commits_upsert(repository=self.repository, items=self._with_details(items), source=Commit.Source.API)

    def _with_details(self, items: list[dict]) -> list[dict]:
        """Listed commits carry no line counts or files: read each one not yet stored
        with them (one request per commit, unless `commit_details` is off)."""
        if not self.commit_details:
            return items
        complete = set(
            Commit.objects.filter(
                repository=self.repository, sha__in=[item["sha"] for item in items], stats_complete=True
            ).values_list("sha", flat=True)
        )
        return [
            item if item["sha"] in complete else self.client.get(f"{self.api_path}/commits/{item['sha']}").data
            for item in items
        ]

    def sync_check_runs(self) -> None:
        """Check runs of every open pull request's head (heads of pull requests read in
        this run were done with them). Each head has its own ETag, so an unchanged one
        costs a free 304."""
        heads = set(
            PullRequest.objects.filter(repository=self.repository, state=PullRequest.State.OPEN)
            .exclude(head_sha="")
            .values_list("head_sha", flat=True)
        )
        for head_sha in sorted(heads):
            with transaction.atomic():
                self._store_check_runs(head_sha)
        # Heads no longer open will not be asked again: drop their ETags.
        SyncCursor.objects.filter(repository=self.repository, resource__startswith="checks:").exclude(
            resource__in=[f"checks:{sha}" for sha in heads]
        ).delete()

    def _store_check_runs(self, head_sha: str) -> None:
        cursor, _ = SyncCursor.objects.get_or_create(repository=self.repository, resource=f"checks:{head_sha}")
        runs: list[dict] = []
        for number, page in enumerate(self.client.pages(
            f"{self.api_path}/commits/{head_sha}/check-runs", params={"filter": "all"}, wrap="check_runs",
            etag=cursor.etag,
        )):
            if page.not_modified:
                return
            if number == 0:
                cursor.etag = page.etag
            runs.extend(page.data)
        for run in runs:
            check_run_upsert(repository=self.repository, data=run)
        cursor.save(update_fields=["etag", "updated_at"])
        self._progress("check_runs")(len(runs))

    def sync_workflow_runs(self) -> None:
        def store(items: list[dict]) -> None:
            for item in items:
                workflow_run_upsert(repository=self.repository, data=item)
                for job in self.client.items(f"{self.api_path}/actions/runs/{item['id']}/jobs",
                                             params={"filter": "all"}, wrap="jobs"):
                    workflow_job_upsert(repository=self.repository, data=job)

        self._listing(Listing("workflow_runs", f"{self.api_path}/actions/runs", store, since_param="created",
                              since_format=_workflow_created_since, wrap="workflow_runs"))
