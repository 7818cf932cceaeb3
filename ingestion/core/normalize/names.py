"""GitHub repository names, checked wherever one enters (the API, commands, clones, webhook
payloads, REST answers, GH Archive events). A name becomes a REST path, `repos/{full_name}`:
a `..` part or a second slash would send the server's credentials to another endpoint."""

from __future__ import annotations

import re

from ingestion.core.normalize.common import PayloadError

# Account logins: letters, digits and hyphens (underscores in Enterprise managed users'),
# never starting with a hyphen. Repository names: letters, digits, '.', '-' and '_'.
_OWNER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")
_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")
_DOT_SEGMENTS = (".", "..")


class InvalidFullName(PayloadError):
    """Not OWNER/NAME as GitHub names repositories."""


def full_name_check(value: object) -> str:
    """`value` when it is OWNER/NAME: an account login, exactly one slash, a repository name
    that is not `.` or `..`. InvalidFullName, with a sentence, otherwise."""
    if isinstance(value, str):
        owner, slash, name = value.partition("/")
        if slash and _OWNER.fullmatch(owner) and _NAME.fullmatch(name) and name not in _DOT_SEGMENTS:
            return value
    shown = value if isinstance(value, str) else type(value).__name__
    raise InvalidFullName(
        f"{shown[:200]!r} is not a GitHub repository name: write OWNER/NAME, an account, one slash and a name of "
        "letters, digits, '.', '-' and '_' (not '.' or '..')"
    )


def full_name_valid(value: object) -> bool:
    try:
        full_name_check(value)
    except InvalidFullName:
        return False
    return True


def local_name(folder: str) -> str:
    """A repository name for a clone without a GitHub origin, from its folder's name."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", folder).strip("-")[:100]
    return name if name and name not in _DOT_SEGMENTS else "clone"
