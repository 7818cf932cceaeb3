"""Commit SHAs as git and GitHub write them: 40 hexadecimal characters (SHA-1) or 64
(SHA-256). A SHA that came from a payload or the database is checked here before git sees
it, so it can never be read as an option (`--output=...`) or a revision expression."""

from __future__ import annotations

import re

_COMMIT_SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


class NotACommitSha(ValueError):
    """A value that should name one commit is not a full hexadecimal SHA."""


def is_commit_sha(value: object) -> bool:
    return isinstance(value, str) and _COMMIT_SHA.fullmatch(value) is not None


def commit_sha_checked(value: object, *, what: str = "revision") -> str:
    """`value` when it is a full lower-case commit SHA; NotACommitSha naming `what` otherwise."""
    if not is_commit_sha(value):
        raise NotACommitSha(f"{what} is not a commit SHA: {value!r:.80}")
    return value  # type: ignore[return-value]
