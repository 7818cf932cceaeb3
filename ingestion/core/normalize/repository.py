from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ingestion.core.normalize.common import (
    PayloadError,
    login,
    normaliser,
    optional_int,
    required_int,
    text,
    timestamp,
)
from ingestion.core.normalize.names import full_name_check

# field -> (JSON key, converter, value stored when GitHub sends null)
_OPTIONAL: dict[str, tuple[str, Callable[[Any], Any], Any]] = {
    "description": ("description", text, ""),
    "html_url": ("html_url", text, ""),
    "clone_url": ("clone_url", text, ""),
    "language": ("language", lambda value: text(value)[:50], ""),
    "stars": ("stargazers_count", int, 0),
    "forks": ("forks_count", int, 0),
    "watchers": ("watchers_count", int, 0),
    "size": ("size", int, 0),
    "default_branch": ("default_branch", text, "main"),
    "is_private": ("private", bool, False),
    "is_fork": ("fork", bool, False),
    "is_archived": ("archived", bool, False),
    "github_created_at": ("created_at", timestamp, None),
    "pushed_at": ("pushed_at", timestamp, None),
}


@normaliser("repository")
def repository_fields(data: dict) -> dict:
    """Repository JSON (REST `GET /repos/{owner}/{repo}`, any webhook's `repository`,
    GH Archive's short `repo` whose `name` is "owner/name") -> Repository fields. Keys the
    shape lacks are left out, so an update keeps what is stored."""
    full_name = full_name_check(text(data.get("full_name") or data.get("name")))
    owner, _, name = full_name.partition("/")
    fields: dict = {
        "github_id": required_int(data, "id", "repository"),
        "owner": owner,
        "name": name,
        "full_name": full_name,
    }
    for field, (key, convert, null_value) in _OPTIONAL.items():
        if key in data:
            fields[field] = null_value if data[key] is None else convert(data[key])
    return fields


@normaliser("installation")
def installation_fields(data: dict) -> dict:
    """Installation JSON (webhook `installation`, REST `GET /app/installations/{id}`)."""
    account = data.get("account") or {}
    fields: dict = {"github_id": required_int(data, "id", "installation")}
    if account:
        fields.update(
            account_login=login(account) or text(account.get("slug")),
            account_type=text(account.get("type") or data.get("target_type")),
            account_github_id=optional_int(account.get("id")),
        )
    if data.get("app_id") is not None:
        fields["app_id"] = optional_int(data["app_id"])
    for field in ("app_slug", "repository_selection"):
        if data.get(field) is not None:
            fields[field] = text(data[field])
    # Names and levels ({"checks": "write"}, ["push"]): text, as PostgreSQL's jsonb can hold it.
    if data.get("permissions") is not None:
        if not isinstance(data["permissions"], dict):
            raise PayloadError(f"installation permissions is not an object: {data['permissions']!r:.80}")
        fields["permissions"] = {text(name): text(level) for name, level in data["permissions"].items()}
    if data.get("events") is not None:
        if not isinstance(data["events"], list):
            raise PayloadError(f"installation events is not a list: {data['events']!r:.80}")
        fields["events"] = [text(event) for event in data["events"]]
    if "suspended_at" in data:
        fields["suspended_at"] = timestamp(data["suspended_at"])
    return fields
