"""Secrets found in free text (log messages, tracebacks, error reports) replaced by a
marker. Pure: the caller passes the known secret values (see log_redaction.secret_values)."""

from __future__ import annotations

import re
from collections.abc import Iterable

MARK = "[redacted]"

# (pattern, replacement); a replacement keeps whatever says what was removed.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # Authorization headers, in any of the shapes they are printed in.
    (re.compile(r"(?i)\b(bearer)(\s+)[A-Za-z0-9._~+/=-]{8,}"), rf"\1\2{MARK}"),
    # "token"/"basic" are also English words: only when a digit follows, as in nearly every credential.
    (re.compile(r"(?i)\b(token|basic)(\s+)(?=[A-Za-z0-9._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{8,}"), rf"\1\2{MARK}"),
    (re.compile(r"""(?i)(authorization(?:["']\s*[:=,]|\s*[:=])\s*["']?)[^\r\n"']+"""), rf"\1{MARK}"),
    # GitInsight API keys (services.api_keys: "gi_" + 43 url-safe characters).
    (re.compile(r"\bgi_[A-Za-z0-9_-]{16,}"), f"gi_{MARK}"),
    # GitHub tokens: personal (classic and fine-grained), OAuth, app user/installation, refresh.
    (re.compile(r"\b(gh[pousr])_[A-Za-z0-9]{20,}"), rf"\1_{MARK}"),
    (re.compile(r"\bgithub_pat_[A-Za-z0-9_]{20,}"), f"github_pat_{MARK}"),
    # Webhook signatures (X-Hub-Signature-256 and the older SHA-1 one).
    (re.compile(r"\b(sha1|sha256)=[0-9a-fA-F]{40,64}\b"), rf"\1={MARK}"),
    # PEM private keys (GITHUB_APP_PRIVATE_KEY), with real or escaped newlines.
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S), MARK),
    # Passwords in URLs (DATABASE_URL) and credentials in query strings (OAuth callbacks).
    (re.compile(r"(://[^/\s:@]+:)[^/\s@]+@"), rf"\1{MARK}@"),
    (re.compile(r"(?i)([?&](?:access_token|refresh_token|client_secret|code|state|token|api_key|key)=)[^&\s\"'#]+"),
     rf"\1{MARK}"),
]

#: values shorter than this are not redacted: they would turn common words into markers
MIN_VALUE_LENGTH = 8


def values_pattern(values: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern matching any of `values` (longest first, so that a secret containing
    another is removed whole); None when there is nothing long enough to look for."""
    usable = sorted({v for v in values if len(v) >= MIN_VALUE_LENGTH}, key=len, reverse=True)
    return re.compile("|".join(re.escape(v) for v in usable)) if usable else None


def text_redact(text: str, *, values: re.Pattern[str] | None = None) -> str:
    if values is not None:
        text = values.sub(MARK, text)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
