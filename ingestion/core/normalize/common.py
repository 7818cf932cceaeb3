"""Small readers for the shapes every GitHub object shares (users, times, labels)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from ingestion.core.revisions import is_commit_sha

_SURROGATE = re.compile("[\ud800-\udfff]")
Normaliser = TypeVar("Normaliser", bound=Callable[..., dict])


class PayloadError(ValueError):
    """The JSON lacks a field without which the entity cannot be stored, or has a shape
    GitHub never sends (a string where an object belongs, a count that is no number)."""


def normaliser(entity: str) -> Callable[[Normaliser], Normaliser]:
    """Make a shape error deep inside a normaliser a PayloadError naming `entity`: the one
    error callers (webhook processing, backfill, GH Archive import) expect from bad JSON."""

    def decorate(function: Normaliser) -> Normaliser:
        @functools.wraps(function)
        def wrapper(data: Any, *args: Any, **kwargs: Any) -> dict:
            if not isinstance(data, dict):
                raise PayloadError(f"{entity} JSON is not an object but {type(data).__name__}")
            try:
                return function(data, *args, **kwargs)
            except PayloadError:
                raise
            except (AttributeError, KeyError, TypeError, ValueError, OverflowError, IndexError) as exc:
                raise PayloadError(f"{entity} JSON has an unexpected shape: {type(exc).__name__}: {exc}"[:500]) from exc

        return wrapper  # type: ignore[return-value]

    return decorate


def timestamp(value: Any) -> datetime | None:
    """GitHub times: ISO 8601 strings ("Z" or an offset), or epoch seconds (push payloads
    carry `repository.created_at` as an integer). PayloadError for anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, tz=UTC)
        if not isinstance(value, str):
            raise TypeError(type(value).__name__)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        raise PayloadError(f"not a time: {value!r:.80}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def text(value: Any) -> str:
    """GitHub sends null for empty text; the database stores ''. NUL bytes are dropped and
    lone surrogates (a JSON "\\ud800" escape) replaced because PostgreSQL text cannot hold
    them."""
    if value is None:
        return ""
    value = str(value).replace("\x00", "")
    if not value.isascii() and _SURROGATE.search(value):
        value = _SURROGATE.sub("\ufffd", value)
    return value


def sha(value: Any, what: str) -> str:
    """A commit SHA GitHub sends (null or missing: ''), in lower case; PayloadError for
    anything else, so no stored SHA can later be read by git as an option or a ref."""
    if value in (None, ""):
        return ""
    lowered = value.lower() if isinstance(value, str) else value
    if not is_commit_sha(lowered):
        raise PayloadError(f"{what} is not a commit SHA: {value!r:.80}")
    return lowered


def login(user: dict | None) -> str:
    return text((user or {}).get("login"))


def is_bigint(value: Any) -> bool:
    """Whether `value` is a JSON integer (not a boolean) that PostgreSQL's bigint can hold."""
    return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63


def optional_int(value: Any) -> int | None:
    """An id or number GitHub may leave null; PayloadError when it is not a bigint."""
    if value is None:
        return None
    if not is_bigint(value):
        raise PayloadError(f"not an integer id: {value!r:.40}")
    return value


def user_id(user: dict | None) -> int | None:
    return optional_int((user or {}).get("id"))


def label_names(labels: list | None) -> list[str]:
    return [text(label["name"] if isinstance(label, dict) else label) for label in labels or []]


def logins(users: list | None) -> list[str]:
    return [login(user) for user in users or [] if login(user)]


def required(data: dict, key: str, entity: str) -> Any:
    value = data.get(key)
    if value is None:
        raise PayloadError(f"{entity} JSON has no {key!r}")
    return value


def required_int(data: dict, key: str, entity: str) -> int:
    """An id or number: a JSON integer that fits PostgreSQL's bigint."""
    value = required(data, key, entity)
    if not is_bigint(value):
        raise PayloadError(f"{entity} JSON {key!r} is not an integer id: {value!r:.40}")
    return value
