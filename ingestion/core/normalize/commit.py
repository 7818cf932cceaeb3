from __future__ import annotations

from ingestion.core.normalize.common import login, normaliser, required, sha, text, timestamp
from ingestion.core.normalize.pull_request import diff_entry_fields


@normaliser("commit")
def commit_fields(data: dict) -> dict:
    """Commit JSON -> Commit fields. Two shapes: the REST commit (`sha`, nested `commit`,
    `parents`, `stats`, `files`) and a push payload's commit (`id`, `message`, `author`
    with `username`, `timestamp`, and only added/removed/modified path lists; the Events
    API and GH Archive name the id `sha` and send no timestamp)."""
    if "commit" in data:
        return _rest_commit_fields(data)
    commit_sha = sha(data.get("id") or required(data, "sha", "push commit"), "push commit sha")
    author = data.get("author") or {}
    committer = data.get("committer") or {}
    changed = [*(data.get("added") or []), *(data.get("removed") or []), *(data.get("modified") or [])]
    return {
        "sha": commit_sha,
        "message": text(data.get("message")),
        "author_name": text(author.get("name")),
        "author_email": text(author.get("email")),
        "author_login": text(author.get("username")),
        "committer_name": text(committer.get("name")),
        "committer_email": text(committer.get("email")),
        "committer_login": text(committer.get("username")),
        "authored_at": timestamp(data.get("timestamp")),
        "committed_at": timestamp(data.get("timestamp")),
        "files_changed": len(changed),
        "stats_complete": False,
    }


def _rest_commit_fields(data: dict) -> dict:
    inner = data["commit"]
    author = inner.get("author") or {}
    committer = inner.get("committer") or {}
    parents = [sha(parent["sha"], "commit parent sha") for parent in data.get("parents") or []]
    fields = {
        "sha": sha(required(data, "sha", "commit"), "commit sha"),
        "parents": parents,
        "is_merge": len(parents) > 1,
        "message": text(inner.get("message")),
        "author_name": text(author.get("name")),
        "author_email": text(author.get("email")),
        "author_login": login(data.get("author")),
        "committer_name": text(committer.get("name")),
        "committer_email": text(committer.get("email")),
        "committer_login": login(data.get("committer")),
        "authored_at": timestamp(author.get("date")),
        "committed_at": timestamp(committer.get("date")),
    }
    stats = data.get("stats")
    if stats:
        fields.update(lines_added=int(stats.get("additions") or 0), lines_deleted=int(stats.get("deletions") or 0))
    files = data.get("files")
    fields["stats_complete"] = stats is not None and files is not None
    if files is not None:
        fields["files_changed"] = len(files)
    return fields


@normaliser("commit file")
def commit_file_fields(data: dict) -> dict:
    """One item of a REST commit's `files`."""
    return diff_entry_fields(data, "commit file") | {
        "is_binary": "patch" not in data and not data.get("changes"),
    }
