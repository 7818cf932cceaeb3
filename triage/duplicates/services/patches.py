"""Where a PR head's diff comes from: the local clone when it has both commits, otherwise
GitHub's pull request files endpoint (per-file patches). Raw patches are not stored."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ingestion.core.revisions import NotACommitSha, commit_sha_checked
from ingestion.models import PullRequest
from triage.duplicates.core.diffnorm import FileDiff, parse_hunks, parse_unified_diff

_GITHUB_STATUS = {"added": "ADDED", "removed": "REMOVED", "renamed": "RENAMED", "modified": "MODIFIED",
                  "changed": "MODIFIED", "copied": "ADDED"}


class PatchUnavailable(RuntimeError):
    """Neither a local clone nor GitHub could provide the diff of this head."""


def _local_diff(repository_path: str, base_sha: str, head_sha: str) -> list[FileDiff] | None:
    """The diff from the clone, None when it lacks a commit. NotACommitSha when a SHA
    (read from a payload or the database) is anything else: git never sees it."""
    if not repository_path or not base_sha or not Path(repository_path).exists():
        return None
    commit_sha_checked(base_sha, what="the base")
    commit_sha_checked(head_sha, what="the head")
    try:
        result = subprocess.run(
            ["git", "-C", repository_path, "diff", "--no-ext-diff", "--no-textconv", "--end-of-options",
             f"{base_sha}...{head_sha}", "--"],
            capture_output=True, check=True, timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    # Files and messages in old repositories are not always UTF-8: read what can be read.
    return parse_unified_diff(result.stdout.decode("utf-8", errors="replace"))


def files_from_github(items: list[dict]) -> tuple[list[FileDiff], list[str]]:
    """FileDiffs from GitHub's `pulls/{n}/files` items, and the paths whose patch GitHub left out."""
    files, truncated = [], []
    for item in items:
        patch = item.get("patch")
        if patch is None and item.get("changes", 0):
            truncated.append(item["filename"])
        files.append(FileDiff(
            path=item["filename"],
            old_path=item.get("previous_filename", ""),
            status=_GITHUB_STATUS.get(item.get("status", ""), "MODIFIED"),
            hunks=parse_hunks(patch or ""),
        ))
    return files, truncated


def pull_request_diff(*, pull_request: PullRequest, head_sha: str) -> tuple[list[FileDiff], list[str]]:
    """The files of the head's diff and the degraded reasons met while getting it."""
    repository = pull_request.repository
    try:
        commit_sha_checked(head_sha, what="the head")
        local = _local_diff(repository.local_path, pull_request.base_sha, head_sha)
    except NotACommitSha as error:
        raise PatchUnavailable(f"#{pull_request.number}: {error}") from error
    if local is not None:
        return local, []
    if not repository.full_name or repository.github_id is None:
        raise PatchUnavailable(f"{repository.full_name or repository.pk}: no local clone with {head_sha[:10]} "
                               "and no GitHub repository to ask")
    from ingestion.services.github_api.auth import client_for_repository
    from ingestion.services.github_api.errors import GitHubApiError

    try:
        with client_for_repository(repository) as client:
            items = client.items(f"/repos/{repository.full_name}/pulls/{pull_request.number}/files")
    except GitHubApiError as error:
        raise PatchUnavailable(f"GitHub files of #{pull_request.number}: {error}") from error
    files, truncated = files_from_github(items)
    return files, [f"patch truncated by GitHub: {path}" for path in truncated[:20]]
