"""Reads of ingested data that other modules and apps share."""

from __future__ import annotations

from django.db.models import QuerySet

from ingestion.models import Commit, PullRequest, PullRequestFile, Repository


class RepositoryNotFound(LookupError):
    pass


def repository_by_full_name(full_name: str) -> Repository:
    """GitHub names are case-insensitive: "PSF/Requests" is "psf/requests"."""
    repository = Repository.objects.filter(full_name__iexact=full_name).first()
    if repository is None:
        raise RepositoryNotFound(f"repository {full_name} is not ingested (run ingest_git first)")
    return repository


def pull_request_files_at_head(pull_request: PullRequest, head_sha: str | None = None) -> QuerySet[PullRequestFile]:
    """The files of a pull request at `head_sha` (default: its current head)."""
    return PullRequestFile.objects.filter(
        pull_request=pull_request, head_sha=head_sha or pull_request.head_sha
    ).order_by("path")


def commit_shas(repository: Repository) -> set[str]:
    """Every stored commit sha of a repository (to skip known commits in bulk)."""
    return set(Commit.objects.filter(repository=repository).values_list("sha", flat=True))


def commits_incomplete(repository: Repository) -> dict[str, int]:
    """sha -> id of the commits stored without line counts (from push payloads)."""
    return dict(Commit.objects.filter(repository=repository, stats_complete=False).values_list("sha", "pk"))
