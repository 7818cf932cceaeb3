from __future__ import annotations

from ingestion.core.channels import CHANNEL_RULES_VERSION, classify_path
from ingestion.core.normalize.common import (
    label_names,
    login,
    logins,
    normaliser,
    required,
    required_int,
    sha,
    text,
    timestamp,
    user_id,
)

FILE_STATUSES = {
    "added": "ADDED",
    "modified": "MODIFIED",
    "removed": "REMOVED",
    "renamed": "RENAMED",
    "copied": "COPIED",
    "changed": "CHANGED",
    "unchanged": "UNCHANGED",
}


def pull_request_state(data: dict) -> str:
    if data.get("merged") or data.get("merged_at"):
        return "merged"
    return "closed" if data.get("state") == "closed" else "open"


@normaliser("pull request")
def pull_request_fields(data: dict) -> dict:
    """Pull request JSON (REST `GET /pulls/{n}` or list item, webhook `pull_request`,
    GH Archive PullRequestEvent) -> PullRequest fields, milestone excluded (it is a row
    of its own; see services). Counts only present on the full object are left out when
    absent (the list endpoint lacks them), so they are never reset to 0."""
    head = data.get("head") or {}
    base = data.get("base") or {}
    fields: dict = {
        "github_id": required_int(data, "id", "pull request"),
        "number": required_int(data, "number", "pull request"),
        "state": pull_request_state(data),
        "draft": bool(data.get("draft")),
        "locked": bool(data.get("locked")),
        "title": text(data.get("title"))[:1000],
        "body": text(data.get("body")),
        "author_login": login(data.get("user")),
        "author_github_id": user_id(data.get("user")),
        "author_association": text(data.get("author_association")),
        "html_url": text(data.get("html_url")),
        "base_ref": text(base.get("ref")),
        "base_sha": sha(base.get("sha"), "pull request base sha"),
        "head_ref": text(head.get("ref")),
        "head_sha": sha(head.get("sha"), "pull request head sha"),
        "head_repo_full_name": text((head.get("repo") or {}).get("full_name")),
        "merged": bool(data.get("merged") or data.get("merged_at")),
        "merged_at": timestamp(data.get("merged_at")),
        "merge_commit_sha": sha(data.get("merge_commit_sha"), "pull request merge commit sha"),
        "requested_reviewers": logins(data.get("requested_reviewers"))
        + [f"team:{team.get('slug')}" for team in data.get("requested_teams") or []],
        "assignees": logins(data.get("assignees")),
        "labels": label_names(data.get("labels")),
        "created_at": timestamp(data.get("created_at")),
        "updated_at": timestamp(data.get("updated_at")),
        "closed_at": timestamp(data.get("closed_at")),
    }
    counts = {
        "additions": "additions",
        "deletions": "deletions",
        "changed_files": "changed_files",
        "commits_count": "commits",
        "comments_count": "comments",
        "review_comments": "review_comments",
    }
    for field, key in counts.items():
        if data.get(key) is not None:
            fields[field] = int(data[key])
    if "mergeable" in data:
        fields["mergeable"] = data["mergeable"]
    if data.get("mergeable_state") is not None:
        fields["mergeable_state"] = text(data["mergeable_state"])
    if data.get("merged_by"):
        fields["merged_by_login"] = login(data["merged_by"])
    return fields


def diff_entry_fields(data: dict, what: str) -> dict:
    """The fields GitHub's diff entry (a file of a commit or of a pull request) shares."""
    path = text(required(data, "filename", what))
    return {
        "path": path,
        "previous_path": text(data.get("previous_filename")),
        "status": FILE_STATUSES.get(data.get("status") or "modified", "MODIFIED"),
        "additions": int(data.get("additions") or 0),
        "deletions": int(data.get("deletions") or 0),
        "channel": classify_path(path),
        "channel_rules_version": CHANNEL_RULES_VERSION,
    }


@normaliser("pull request file")
def pull_request_file_fields(data: dict) -> dict:
    """One item of REST `GET /pulls/{n}/files` -> PullRequestFile fields (no patch kept;
    a file without a patch, e.g. a huge or binary one, is marked patch_truncated)."""
    return diff_entry_fields(data, "pull request file") | {
        "changes": int(data.get("changes") or 0),
        "patch_truncated": "patch" not in data,
    }
