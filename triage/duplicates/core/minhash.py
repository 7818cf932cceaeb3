"""MinHash (datasketch, 128 x uint32) over shingles, packing, and LSH band keys.

Signatures are stored as 512 bytes; LSH splits them into BANDS bands of ROWS rows and
hashes each band into a signed 64-bit key (a Postgres BIGINT) that names a bucket.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
SEED = 1
BANDS = 32
ROWS = NUM_PERM // BANDS

# datasketch regenerates its permutations on every MinHash(); build them once.
_SCHEME = "affine32"
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=_SCHEME).permutations
_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)


def minhash_of(shingles: Iterable[str]) -> np.ndarray:
    """128 uint32 minimum hashes; all-0xFFFFFFFF when there are no shingles."""
    encoded = [s.encode("utf-8") for s in set(shingles)]
    if not encoded:
        return _EMPTY.copy()
    sketch = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_PERMUTATIONS, scheme=_SCHEME)
    sketch.update_batch(encoded)
    return sketch.hashvalues.astype(np.uint32)


def is_empty(signature: np.ndarray) -> bool:
    # an empty sketch is all 0xFFFFFFFF; a real one has that value in a slot with p ~ 2^-32
    return bool(signature[0] == 0xFFFFFFFF and signature[-1] == 0xFFFFFFFF)


def pack(signature: np.ndarray) -> bytes:
    return signature.astype("<u4").tobytes()


def unpack(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity; 0 when either side is empty."""
    if is_empty(a) or is_empty(b):
        return 0.0
    return float(np.count_nonzero(a == b)) / NUM_PERM


def jaccard_many(query: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Estimated Jaccard of `query` against every row of `matrix` (N x 128)."""
    if is_empty(query) or len(matrix) == 0:
        return np.zeros(len(matrix), dtype=np.float32)
    scores = (matrix == query).sum(axis=1).astype(np.float32) / NUM_PERM
    scores[(matrix == 0xFFFFFFFF).all(axis=1)] = 0.0
    return scores


def band_keys(signature: np.ndarray, *, namespace: str = "") -> list[int]:
    """One signed 64-bit bucket key per band; empty signatures have none."""
    if is_empty(signature):
        return []
    raw = pack(signature)
    keys = []
    for band in range(BANDS):
        chunk = raw[band * ROWS * 4 : (band + 1) * ROWS * 4]
        digest = hashlib.blake2b(namespace.encode() + bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys
