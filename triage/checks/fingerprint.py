"""A failure fingerprint: the normalised root-cause lines, hashed.

Two failures with the same fingerprint printed the same error once numbers, hashes,
paths, times and addresses are set aside: the same test failing the same way on another
commit, or the same network error on another runner.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from triage.checks.rootcause import normalise_line

FINGERPRINT_LINES = 3  # the anchor and the lines right after it carry the error itself


def failure_fingerprint(lines: Sequence[str]) -> str:
    """Hex digest (16 characters) of the normalised non-blank `lines`; empty if none."""
    normalised = [normalise_line(line) for line in lines if line.strip()][:FINGERPRINT_LINES]
    if not normalised:
        return ""
    return hashlib.sha256("\n".join(normalised).encode("utf-8")).hexdigest()[:16]
