"""Winnowing fingerprints (Schleimer et al.): k-gram hashes, the minimum of every window.

Any shared run of at least K + W - 1 tokens yields a shared fingerprint, which makes
fingerprint containment a good test of "this PR includes that PR's code".
"""

from __future__ import annotations

import hashlib

import numpy as np

K = 5
W = 4


def _kgram_hash(tokens: list[str]) -> int:
    digest = hashlib.blake2b("\x1f".join(tokens).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def fingerprints(tokens: list[str], *, k: int = K, w: int = W) -> np.ndarray:
    """Sorted unique int64 fingerprints of a token stream (all k-grams when shorter than a window)."""
    if len(tokens) < k:
        return np.array([_kgram_hash(tokens)] if tokens else [], dtype=np.int64)
    hashes = [_kgram_hash(tokens[i : i + k]) for i in range(len(tokens) - k + 1)]
    if len(hashes) <= w:
        return np.unique(np.array(hashes, dtype=np.int64))
    selected = {min(hashes[i : i + w]) for i in range(len(hashes) - w + 1)}
    return np.array(sorted(selected), dtype=np.int64)


def pack(values: np.ndarray) -> bytes:
    return values.astype("<i8").tobytes()


def unpack(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<i8").astype(np.int64)


def shared_count(a: np.ndarray, b: np.ndarray) -> int:
    """Fingerprints in both sorted unique arrays (binary search of the smaller in the larger)."""
    if len(a) == 0 or len(b) == 0:
        return 0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    found = np.searchsorted(large, small)
    found[found == len(large)] = len(large) - 1
    return int(np.count_nonzero(large[found] == small))


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """Share of `a`'s fingerprints found in `b` (0 when `a` is empty)."""
    if len(a) == 0:
        return 0.0
    return shared_count(a, b) / len(a)
