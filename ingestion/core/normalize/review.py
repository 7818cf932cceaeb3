from __future__ import annotations

from ingestion.core.normalize.common import login, normaliser, optional_int, required_int, sha, text, timestamp, user_id


@normaliser("review")
def review_fields(data: dict) -> dict:
    """Review JSON (REST `GET /pulls/{n}/reviews` item, webhook `review`)."""
    return {
        "github_id": required_int(data, "id", "review"),
        "author_login": login(data.get("user")),
        "author_github_id": user_id(data.get("user")),
        "state": text(data.get("state")).lower(),
        "body": text(data.get("body")),
        "commit_sha": sha(data.get("commit_id"), "review commit sha"),
        "html_url": text(data.get("html_url")),
        "submitted_at": timestamp(data.get("submitted_at")),
    }


@normaliser("comment")
def comment_fields(data: dict, *, kind: str) -> dict:
    """Comment JSON: an issue or pull request conversation comment (`kind` "issue" or
    "pull_request") or a review comment on the diff (`kind` "review")."""
    reactions = {key: value for key, value in (data.get("reactions") or {}).items() if isinstance(value, int)}
    return {
        "github_id": required_int(data, "id", "comment"),
        "kind": kind,
        "in_reply_to_github_id": optional_int(data.get("in_reply_to_id")),
        "author_login": login(data.get("user")),
        "author_github_id": user_id(data.get("user")),
        "body": text(data.get("body")),
        "reactions": reactions,
        "path": text(data.get("path")),
        "line": optional_int(data.get("line") or data.get("original_line") or data.get("position")),
        "commit_sha": sha(data.get("commit_id"), "comment commit sha"),
        "html_url": text(data.get("html_url")),
        "created_at": timestamp(data.get("created_at")),
        "updated_at": timestamp(data.get("updated_at")),
    }
