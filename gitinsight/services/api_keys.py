from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from gitinsight.models import ApiKey, User
from gitinsight.models.api_key import SCOPES
from gitinsight.services.audit import audit_record

KEY_PREFIX = "gi_"


class InvalidScopes(ValueError):
    pass


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


@transaction.atomic
def api_key_create(
    *,
    user: User,
    name: str,
    permissions: list[str],
    rate_limit: int = 1000,
    expires_at: datetime | None = None,
) -> CreatedApiKey:
    unknown = set(permissions) - set(SCOPES)
    if unknown or not permissions:
        raise InvalidScopes(f"permissions must be a non-empty subset of {list(SCOPES)}; got {permissions}")
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
    audit_record(
        user=user,
        action="api_key.create",
        resource_type="api_key",
        resource_id=api_key.pk,
        details={"name": name, "permissions": api_key.permissions, "rate_limit": rate_limit},
    )
    return CreatedApiKey(api_key=api_key, plaintext=plaintext)


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, by: User) -> ApiKey:
    if api_key.is_active:
        api_key.is_active = False
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["is_active", "revoked_at"])
        audit_record(user=by, action="api_key.revoke", resource_type="api_key", resource_id=api_key.pk)
    return api_key
