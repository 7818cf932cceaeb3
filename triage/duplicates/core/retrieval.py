"""Candidate retrieval over an inverted index, then scoring of the best candidates.

Candidates are merged from every channel before any scoring: exact changed paths,
directory prefixes, touched symbols, test names, MinHash LSH band buckets, linked
references and title words. LSH alone misses rewritten ("hard") duplicates; the other
channels catch them and the pairwise scorer sorts them out. Posting lists keep time
order, so capping a list keeps the most recent heads. This in-memory index mirrors the
Postgres index tables (same keys), which the product uses.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from triage.duplicates.core import minhash
from triage.duplicates.core.scoring import DEFAULT_CONFIG, PairScore, evidence, score_pair
from triage.duplicates.core.signature import TESTS, PRSignature

#: weight of one hit per key kind when merging candidates
KEY_WEIGHTS = {"band": 1.0, "path": 3.0, "dir": 0.5, "symbol": 2.0, "test": 2.0, "ref": 4.0, "word": 1.0}
POSTING_CAP = 400
SHORTLIST = 50


def dir_prefixes(path: str, depth: int = 3) -> list[str]:
    parts = path.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(min(depth, len(parts)))]


def index_keys(signature: PRSignature) -> list[tuple[str, Any]]:
    """Every retrieval key of a signature (kind, value); kinds are the index tables."""
    keys: list[tuple[str, Any]] = []
    for path in signature.paths:
        keys.append(("path", path))
        prefixes = dir_prefixes(path)
        if len(prefixes) >= 2:
            keys.append(("dir", prefixes[1]))
    keys.extend(("symbol", name) for name in signature.symbols)
    if TESTS in signature.channels:
        keys.extend(("test", name) for name in signature.channels[TESTS].test_intent.get("tests", []))
    keys.extend(("band", key) for key in minhash.band_keys(signature.combined_minhash))
    keys.extend(("ref", number) for number in signature.references)
    keys.extend(("word", word) for word in signature.title_words)
    return list(dict.fromkeys(keys))


@dataclass
class Match:
    item_id: Any
    score: PairScore


class InMemoryIndex:
    """Append-only index of PR heads; `query` only sees what was added before it."""

    def __init__(self) -> None:
        self._postings: dict[tuple[str, Any], list[int]] = defaultdict(list)
        self._ids: list[Any] = []
        self._signatures: list[PRSignature] = []
        self._minhashes = np.empty((1024, minhash.NUM_PERM), dtype=np.uint32)

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, item_id: Any, signature: PRSignature) -> None:
        position = len(self._ids)
        if position == len(self._minhashes):
            self._minhashes = np.concatenate([self._minhashes, np.empty_like(self._minhashes)])
        self._minhashes[position] = signature.combined_minhash
        # fill the cached unions now so that queries never pay for them
        (signature.combined_winnow, signature.paths, signature.symbols, signature.production_paths,  # noqa: B018
         signature.test_names)
        self._ids.append(item_id)
        self._signatures.append(signature)
        for key in index_keys(signature):
            self._postings[key].append(position)

    def candidates(self, signature: PRSignature, *, cap: int = POSTING_CAP) -> tuple[np.ndarray, np.ndarray]:
        """Positions of candidate heads and their merged weights (rarer keys weigh more)."""
        total = len(self._ids)
        weights = np.zeros(total, dtype=np.float32)
        for key in index_keys(signature):
            posting = self._postings.get(key)
            if not posting:
                continue
            weight = KEY_WEIGHTS[key[0]] * math.log(total / len(posting) + 1.0)
            weights[posting[-cap:]] += weight
        positions = np.flatnonzero(weights)
        return positions, weights[positions]

    def query(
        self,
        signature: PRSignature,
        *,
        limit: int = 10,
        config: dict[str, Any] = DEFAULT_CONFIG,
        title_similarity: Callable[[int], float] | None = None,
    ) -> list[Match]:
        """The `limit` best-scoring earlier heads, best first, with evidence."""
        positions, merged = self.candidates(signature)
        if len(positions) == 0:
            return []
        code = minhash.jaccard_many(signature.combined_minhash, self._minhashes[positions])
        coarse = code * 10.0 + merged / (merged.max() or 1.0)
        shortlist = positions[np.argsort(-coarse)[:SHORTLIST]].tolist()
        return rank(signature, [
            (self._ids[position], self._signatures[position],
             title_similarity(position) if title_similarity is not None else None)
            for position in shortlist
        ], limit=limit, config=config)

    def ids(self) -> Iterable[Any]:
        return iter(self._ids)


def rank(
    signature: PRSignature,
    candidates: Iterable[tuple[Any, PRSignature, float | None]],
    *,
    limit: int = 10,
    config: dict[str, Any] = DEFAULT_CONFIG,
    skip: Collection[str] = (),
) -> list[Match]:
    """Score `signature` against (item id, signature, title similarity or None) candidates and
    return the `limit` best, best first: by the probability of being the same change when the
    config has a model, then by final score (ties: smaller item id, i.e. older, first); categories
    in `skip` are left out. Only the returned matches pay for an evidence bundle."""
    scored = []
    for item_id, candidate, title in candidates:
        pair = score_pair(signature, candidate, config, title_similarity=title, with_evidence=False)
        if pair.category not in skip:
            scored.append((pair.scores.get("same_change_probability", 0.0), pair.final_score, item_id, candidate,
                           pair))
    scored.sort(key=lambda entry: (-entry[0], -entry[1], entry[2]))
    matches = []
    for _, _, item_id, candidate, pair in scored[:limit]:
        pair.evidence = evidence(signature, candidate, pair.scores)
        matches.append(Match(item_id, pair))
    return matches
