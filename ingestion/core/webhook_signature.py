"""X-Hub-Signature-256 verification. No Django here."""

from __future__ import annotations

import hashlib
import hmac


def signature_for(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(*, secret: str, body: bytes, header: str | None) -> bool:
    """Constant-time comparison of the header with the HMAC of the exact body bytes."""
    if not secret or not header:
        return False
    return hmac.compare_digest(signature_for(secret, body).encode(), header.strip().encode())
