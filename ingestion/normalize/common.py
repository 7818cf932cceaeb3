"""Small readers for the shapes every GitHub object shares (users, times, labels)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


class PayloadError(ValueError):
    """The JSON lacks a field without which the entity cannot be stored."""


def timestamp(value: Any) -> datetime | None:
    """GitHub times: ISO 8601 strings ("Z" or an offset), or epoch seconds (push payloads
    carry `repository.created_at` as an integer)."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC)
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def text(value: Any) -> str:
    """GitHub sends null for empty text; the database stores ''. NUL bytes are dropped
    because PostgreSQL text cannot hold them."""
    if value is None:
        return ""
    return str(value).replace("\x00", "")


def login(user: dict | None) -> str:
    return (user or {}).get("login") or ""


def user_id(user: dict | None) -> int | None:
    return (user or {}).get("id")


def label_names(labels: list | None) -> list[str]:
    return [label["name"] if isinstance(label, dict) else str(label) for label in labels or []]


def logins(users: list | None) -> list[str]:
    return [login(user) for user in users or [] if login(user)]


def required(data: dict, key: str, entity: str) -> Any:
    value = data.get(key)
    if value is None:
        raise PayloadError(f"{entity} JSON has no {key!r}")
    return value
