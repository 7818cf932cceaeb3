"""A bounded, per-process cache of decoded stored signatures.

A head's stored rows are a pure function of its diff under one SIGNATURE_VERSION, so a
decoded signature cannot go stale under the key (pull request id, head sha, signature
version). Hub heads — "merge main into my branch" commits touching hundreds of files —
are candidates of nearly every query: decoding them once per process instead of once per
query is most of what retrieval would otherwise cost. Title and body can be edited, and
another process (a worker on another machine) may store a head's rows again when its
files were completed later, so an entry only serves while the title, the body and the
rows' revision (when they were written, read with the candidates) are the ones it was
decoded from: no process serves a signature another has replaced.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from triage.duplicates.core.signature import PRSignature

#: rough budget of the decoded signatures kept, in bytes
DEFAULT_BUDGET = 64 * 1024 * 1024


def _footprint(signature: PRSignature) -> int:
    """Approximate bytes held by a decoded signature (arrays exactly, strings roughly)."""
    size = 1024 + len(signature.body)
    if len(signature.channels) > 1:  # the combined fingerprints (PRSignature.combined_winnow) are a copy
        size += sum(channel.winnow.nbytes for channel in signature.channels.values())
    for channel in signature.channels.values():
        size += channel.minhash.nbytes + channel.winnow.nbytes
        size += 80 * (len(channel.paths) + len(channel.declarations) + len(channel.exports) + len(channel.imports))
        size += 60 * sum(len(values) for values in (*channel.test_intent.values(), *channel.doc_structure.values()))
    return size


class SignatureCache:
    """Least recently used entries leave first once the byte budget is exceeded."""

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self.hits = self.misses = 0
        self._entries: OrderedDict[Any, tuple[tuple[str, str, Any], PRSignature, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Any, *, title: str, body: str, revision: Any = None) -> PRSignature | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != (title, body, revision):
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[1]

    def put(self, key: Any, signature: PRSignature, *, title: str, body: str, revision: Any = None) -> None:
        size = _footprint(signature)
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._size -= previous[2]
            self._entries[key] = ((title, body, revision), signature, size)
            self._size += size
            while self._size > self.budget and len(self._entries) > 1:
                _, (_, _, evicted) = self._entries.popitem(last=False)
                self._size -= evicted

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0
            self.hits = self.misses = 0
