"""Signatures of a pull request head, one per channel (table `pr_channel_signatures`).

SIGNATURE_VERSION names the normalisation and tokenisation below: bump it whenever a
change would make old and new signatures of the same diff differ.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ingestion.core.channels import DOCS, META, PRODUCTION, TESTS, classify_path
from triage.duplicates.core import minhash, simhash, winnowing
from triage.duplicates.core.diffnorm import FileDiff, changed_lines, tokenize
from triage.duplicates.core.docs import doc_structure
from triage.duplicates.core.symbols import file_symbols
from triage.duplicates.core.test_intent import test_intent
from triage.duplicates.core.text import clean_body, clean_title, pull_request_references, words

SIGNATURE_VERSION = 1
CHANNELS = (PRODUCTION, TESTS, DOCS, META)
#: cap on changed lines sketched per channel: generated files (lock files, plugin lists)
#: would otherwise dominate time and memory without adding evidence
MAX_LINES_PER_CHANNEL = 4000


def channel_of(path: str) -> str:
    """The single place that decides a file's channel (ingestion's versioned rules)."""
    return classify_path(path)


@dataclass
class ChannelSignature:
    channel: str
    paths: list[str]
    canonical_diff_hash: str
    simhash64: int
    minhash: np.ndarray
    shingle_count: int
    winnow: np.ndarray
    declarations: set[str] = field(default_factory=set)
    exports: set[str] = field(default_factory=set)
    imports: set[str] = field(default_factory=set)
    test_intent: dict[str, list[str]] = field(default_factory=dict)
    doc_structure: dict[str, list[str]] = field(default_factory=dict)
    size_metrics: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class PRSignature:
    channels: dict[str, ChannelSignature]
    title: str
    body: str
    title_words: set[str]
    references: set[int]

    @cached_property
    def paths(self) -> set[str]:
        return {path for sig in self.channels.values() for path in sig.paths}

    @cached_property
    def symbols(self) -> set[str]:
        return {name for sig in self.channels.values() for name in sig.declarations | sig.imports}

    @cached_property
    def production_paths(self) -> frozenset[str]:
        return frozenset(self.channels[PRODUCTION].paths) if PRODUCTION in self.channels else frozenset()

    @cached_property
    def test_names(self) -> frozenset[str]:
        return frozenset(self.channels[TESTS].test_intent.get("tests", [])) if TESTS in self.channels else frozenset()

    @cached_property
    def combined_minhash(self) -> np.ndarray:
        """MinHash of the union of every channel's shingles (element-wise minimum)."""
        sketches = [sig.minhash for sig in self.channels.values()]
        if not sketches:
            return minhash.minhash_of([])
        return np.minimum.reduce(sketches)

    @cached_property
    def combined_winnow(self) -> np.ndarray:
        arrays = [sig.winnow for sig in self.channels.values() if len(sig.winnow)]
        if not arrays:
            return np.array([], dtype=np.int64)
        if len(arrays) == 1:
            return arrays[0]
        # sort + drop repeats: numpy 2's hash-based np.unique is ~20x slower on int64 and this
        # runs for every candidate a query scores
        merged = np.sort(np.concatenate(arrays))
        return merged[np.concatenate(([True], merged[1:] != merged[:-1]))]

    @cached_property
    def shingle_count(self) -> int:
        return sum(sig.shingle_count for sig in self.channels.values())

    def has_errors(self) -> bool:
        return any(sig.errors for sig in self.channels.values())


def _canonical_hash(files: list[FileDiff], lines_by_path: dict[str, list[str]]) -> str:
    digest = hashlib.sha256()
    for file in sorted(files, key=lambda f: f.path):
        digest.update(file.path.encode("utf-8") + b"\0")
        for line in lines_by_path[file.path]:
            digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def channel_signature(channel: str, files: list[FileDiff]) -> ChannelSignature:
    """Sketches and structure of the files of one channel (all of which belong to it)."""
    lines_by_path = {file.path: changed_lines(file) for file in files}
    lines: list[str] = []
    for file in files:
        lines.extend(lines_by_path[file.path])
    lines = lines[:MAX_LINES_PER_CHANNEL]
    tokens: list[str] = []
    for line in lines:
        tokens.append(line[0])
        tokens.extend(tokenize(line[1:]))
    signature = ChannelSignature(
        channel=channel,
        paths=sorted(file.path for file in files),
        canonical_diff_hash=_canonical_hash(files, lines_by_path),
        simhash64=simhash.simhash64(tokens),
        minhash=minhash.minhash_of(lines),
        shingle_count=len(set(lines)),
        winnow=winnowing.fingerprints(tokens),
        size_metrics={
            "files": len(files),
            "additions": sum(1 for f in files for h in f.hunks for s, _ in h.lines if s == "+"),
            "deletions": sum(1 for f in files for h in f.hunks for s, _ in h.lines if s == "-"),
            "changed_lines": len(lines),
            "binary_files": sum(1 for f in files if f.binary),
        },
    )
    if channel in (PRODUCTION, TESTS):
        for file in files:
            symbols = file_symbols(file)
            signature.declarations |= symbols.declarations
            signature.imports |= symbols.imports
            signature.errors.extend(symbols.errors)
            if channel == PRODUCTION:
                signature.exports |= symbols.exports
    if channel == TESTS:
        signature.test_intent = test_intent(files).as_json()
    if channel == DOCS:
        signature.doc_structure = doc_structure(files).as_json()
    return signature


def pr_signature(
    files: list[FileDiff], *, title: str, body: str, classify: Callable[[str], str] = channel_of,
    number: int | None = None, branch: str = "",
) -> PRSignature:
    """Signatures of every channel the PR touches, plus its cleaned title and references (with
    its own `number` and what its `branch` is named after, see `pull_request_references`)."""
    grouped: dict[str, list[FileDiff]] = {}
    for file in files:
        grouped.setdefault(classify(file.path), []).append(file)
    channels = {channel: channel_signature(channel, grouped[channel]) for channel in CHANNELS if channel in grouped}
    cleaned_title, cleaned_body = clean_title(title, body), clean_body(body)
    return PRSignature(
        channels=channels,
        title=cleaned_title,
        body=cleaned_body,
        title_words=words(cleaned_title),
        references=pull_request_references(title, body, number=number, branch=branch),
    )


__all__ = ["CHANNELS", "DOCS", "META", "PRODUCTION", "TESTS", "ChannelSignature", "PRSignature", "pr_signature"]
