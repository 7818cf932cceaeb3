from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gitinsight.models import ApiKey, User
from gitinsight.models.api_key import SCOPES
from gitinsight.services.audit import audit_record

KEY_PREFIX = "gi_"


class InvalidScopes(ValueError):
    pass


class ApiKeyRefused(ValueError):
    """A key that may not be created as asked; `field` names what to change, str() says why."""

    def __init__(self, message: str, *, field: str, forbidden: bool = False) -> None:
        super().__init__(message)
        self.field = field
        self.forbidden = forbidden  # the caller lacks the right (403), rather than asked for a bad value (400)


@dataclass(frozen=True)
class CreatedApiKey:
    api_key: ApiKey
    plaintext: str  # shown to the user once, never stored


def api_key_hash(plaintext: str) -> str:
    # Keys carry 256 bits of randomness, so a plain SHA-256 is as strong as a slow hash here
    # and lets every request look the key up by an indexed equality.
    return hashlib.sha256(plaintext.encode()).hexdigest()


def api_key_for_plaintext(plaintext: str) -> ApiKey | None:
    """The key (usable or not: the caller says why it refuses one) whose plaintext this is.

    The database is asked for the SHA-256 of the plaintext, never the plaintext, so the time
    it takes tells a guesser at most how much of SHA-256(guess) matches some stored hash,
    which says nothing about any key. The final decision is hmac.compare_digest, so that it
    is constant-time by construction instead of resting on the database's string equality."""
    digest = api_key_hash(plaintext)
    api_key = ApiKey.objects.select_related("user").filter(key_hash=digest).first()
    if api_key is None or not hmac.compare_digest(api_key.key_hash.encode(), digest.encode()):
        return None
    return api_key


def api_key_rate_limit_check(rate_limit: int) -> None:
    ceiling = settings.API_KEY_MAX_RATE_LIMIT
    if rate_limit > ceiling:
        raise ApiKeyRefused(f"A key may make at most {ceiling:,} requests an hour on this server "
                            "(API_KEY_MAX_RATE_LIMIT).", field="rate_limit")


def _created_by_key_check(*, parent: ApiKey, permissions: list[str], expires_at: datetime | None) -> datetime:
    """What a key may create: no scope it lacks, nothing that outlives it, and always an expiry
    (at most API_KEY_CREATED_BY_KEY_MAX_DAYS away). Returns the expiry to use."""
    wider = [scope for scope in permissions if not parent.allows(scope)]
    if wider:
        raise ApiKeyRefused(f"A key cannot create a key with a wider scope than its own; this one lacks "
                            f"{', '.join(sorted(wider))}.", field="permissions", forbidden=True)
    latest = timezone.now() + timedelta(days=settings.API_KEY_CREATED_BY_KEY_MAX_DAYS)
    if parent.expires_at is not None:
        latest = min(latest, parent.expires_at)
    if expires_at is None:
        return latest
    if parent.expires_at is not None and expires_at > parent.expires_at:
        raise ApiKeyRefused(f"A key cannot create a key that would outlive it; this one expires "
                            f"{parent.expires_at:%Y-%m-%d %H:%M} UTC.", field="expires_at")
    if expires_at > latest:
        raise ApiKeyRefused(f"A key made with a key expires within {settings.API_KEY_CREATED_BY_KEY_MAX_DAYS} days; "
                            "make a longer-lived one while signed in.", field="expires_at")
    return expires_at


@transaction.atomic
def api_key_create(
    *,
    user: User,
    name: str,
    permissions: list[str],
    rate_limit: int = 1000,
    expires_at: datetime | None = None,
    created_by_key: ApiKey | None = None,
) -> CreatedApiKey:
    """A new key of `user`. A key made with another key (`created_by_key`) is held to it:
    see _created_by_key_check. Every key stays under the server's rate-limit ceiling."""
    unknown = set(permissions) - set(SCOPES)
    if unknown or not permissions:
        raise InvalidScopes(f"permissions must be a non-empty subset of {list(SCOPES)}; got {permissions}")
    api_key_rate_limit_check(rate_limit)
    if created_by_key is not None:
        expires_at = _created_by_key_check(parent=created_by_key, permissions=permissions, expires_at=expires_at)
    plaintext = KEY_PREFIX + secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(
        user=user,
        name=name,
        prefix=plaintext[:10],
        key_hash=api_key_hash(plaintext),
        permissions=sorted(set(permissions)),
        rate_limit=rate_limit,
        expires_at=expires_at,
    )
    details = {"name": name, "permissions": api_key.permissions, "rate_limit": rate_limit,
               "expires_at": expires_at.isoformat() if expires_at else None}
    if created_by_key is not None:
        details["created_by_key"] = created_by_key.pk
    audit_record(user=user, action="api_key.create", resource_type="api_key", resource_id=api_key.pk, details=details)
    return CreatedApiKey(api_key=api_key, plaintext=plaintext)


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, by: User) -> ApiKey:
    if api_key.is_active:
        api_key.is_active = False
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["is_active", "revoked_at"])
        audit_record(user=by, action="api_key.revoke", resource_type="api_key", resource_id=api_key.pk)
    return api_key
