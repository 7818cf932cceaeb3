"""A failure fingerprint: the normalised root-cause lines, hashed.

Two failures with the same fingerprint printed the same error once numbers, hashes,
paths, times and addresses are set aside: the same test failing the same way on another
commit, or the same network error on another runner.

All the lines of the root-cause range count, not only its first ones: a range often opens
with a line shared by different failures (a test's header, "> Links" before the broken
links, "--- FAIL: TestX" before the subtests), and the lines under it say which failure it
is. Hashing the opening lines alone made different failures of a repository look the same,
and a real failure would be called FLAKY on the strength of another failure's sightings
(measured with `manage.py ci_attribution_eval --logchunks`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from triage.failures.core.rootcause import normalise_line

# Non-blank lines hashed: every line of a range the rules found (they stop at 30 lines); the
# bound only keeps a very long range from being hashed whole.
FINGERPRINT_LINES = 30


def failure_fingerprint(lines: Sequence[str]) -> str:
    """Hex digest (16 characters) of the normalised non-blank `lines`; empty if none.

    A range of three non-blank lines or fewer keeps the fingerprint it had when only the
    first three lines were hashed."""
    normalised = [normalise_line(line) for line in lines if line.strip()][:FINGERPRINT_LINES]
    if not normalised:
        return ""
    return hashlib.sha256("\n".join(normalised).encode("utf-8")).hexdigest()[:16]
