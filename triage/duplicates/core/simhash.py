"""SimHash64 over weighted tokens: near-identical changes differ in few bits."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

import numpy as np

_BITS = np.array([1 << i for i in range(64)], dtype=np.uint64)


def _token_hash(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "big")


def simhash64(tokens: Iterable[str]) -> int:
    """Signed 64-bit SimHash (fits a Postgres BIGINT); 0 for no tokens."""
    counts = Counter(tokens)
    if not counts:
        return 0
    hashes = np.array([_token_hash(t) for t in counts], dtype=np.uint64)
    weights = np.array(list(counts.values()), dtype=np.float64)
    bits = ((hashes[:, None] & _BITS[None, :]) != 0).astype(np.float64)
    totals = (bits * 2 - 1).T @ weights
    value = 0
    for i in range(64):
        if totals[i] > 0:
            value |= 1 << i
    return value - (1 << 64) if value >= 1 << 63 else value


def similarity(a: int, b: int) -> float:
    """1 - Hamming distance / 64; 0 when either side has no tokens."""
    if a == 0 or b == 0:
        return 0.0
    return 1.0 - bin((a ^ b) & 0xFFFFFFFFFFFFFFFF).count("1") / 64.0
