"""An API key's request without the ORM on its path: a process remembers the keys it has
authenticated (by SHA-256, with their user) for KNOWN_SECONDS, and then each request checks
its key and enters its scope in the one statement that enters the scope anyway
(gitinsight_scope_enter_api_key). Nothing that decides what a key may do is remembered: a
revocation, an expiry, a deleted key or an inactive user refuse the very next request in
every process, and the permissions, the rate limit, the user's operator status and the
user's organizations are read fresh each time. What stays remembered (the key's name, the
user's names) only labels things.

Keys are looked up by their SHA-256, like in the database: how long a look-up takes says
something about the hash of the guess, nothing about any key."""

from __future__ import annotations

import copy
import threading
import time
from dataclasses import dataclass

from django.db.models import Model

from gitinsight.database.tenant_scope import ApiKeyGrant, api_key_scope_set
from gitinsight.models import ApiKey

KNOWN_SECONDS = 60.0
KNOWN_MAX = 1024


@dataclass(frozen=True)
class _Known:
    api_key: ApiKey  # its user loaded
    since: float


_known: dict[str, _Known] = {}
_lock = threading.Lock()


def api_key_remember(digest: str, api_key: ApiKey) -> None:
    """Remember `api_key` (a usable key, its user loaded) under the SHA-256 of its plaintext."""
    now = time.monotonic()
    with _lock:
        if len(_known) >= KNOWN_MAX:
            stale = [d for d, known in _known.items() if now - known.since > KNOWN_SECONDS]
            for old in stale or [next(iter(_known))]:  # else the oldest: the dict keeps insertion order
                del _known[old]
        _known[digest] = _Known(api_key=api_key, since=now)


def api_key_forget(digest: str) -> None:
    with _lock:
        _known.pop(digest, None)


def known_api_keys_clear() -> None:
    with _lock:
        _known.clear()


def api_key_enter(digest: str) -> ApiKey | None:
    """The key this process knows by `digest`, checked usable now and with its user's scope
    entered: a copy for this request, with its user (a copy too). None when the process does
    not know the key, knew it too long ago, or the key is no longer usable: the caller looks
    it up and says why it refuses it."""
    known = _known.get(digest)
    if known is None or time.monotonic() - known.since > KNOWN_SECONDS:
        return None
    entered = api_key_scope_set(known.api_key.pk)
    if entered is None:
        api_key_forget(digest)
        return None
    _token, grant = entered  # the middleware puts its own scope back when the response is made
    return _request_copy(known.api_key, grant)


def _request_copy(api_key: ApiKey, grant: ApiKeyGrant) -> ApiKey:
    """Each request gets its own instances, with the fields read now: concurrent requests of
    one key in one process never share an object a view might change."""
    user = _instance_copy(api_key.user)
    user.is_superuser = grant.system
    fresh = _instance_copy(api_key)
    fresh.permissions = grant.permissions
    fresh.rate_limit = grant.rate_limit
    fresh.last_used = grant.last_used
    fresh.user = user
    fresh.scope_companions = grant.companions  # read with the scope, for this request
    return fresh


def _instance_copy(instance: Model) -> Model:
    """`copy.copy` of a model instance (its own field values, state and cache of related rows:
    Model.__getstate__) without pickling's round trip through the app registry, which cost a
    tenth of a millisecond of each API request for the key and its user."""
    state = instance.__getstate__()
    if "_memoryview_attrs" in state:  # restored by Model.__setstate__ only
        return copy.copy(instance)
    fresh = type(instance).__new__(type(instance))
    fresh.__dict__.update(state)
    return fresh
