"""Recognise, in a new log, a failure the repository has had before.

When a maintainer confirms or corrects the root-cause lines of a failed check, the range
becomes a `ChunkExample`: the shape of its first and last lines and of the lines just
outside it, with numbers, hashes, paths and times normalised away. Projects fail in a
few recurring ways and their tools print those failures in the same layout, so the place
of a new log that looks most like an example (token overlap of those four lines) is
likely the cause again. This is the text-similarity approach of the LogChunks study
(Brandt et al., 2020), which learns where the chunk is from a repository's earlier logs.

The cost is bounded whatever the size of the log: every line of the window the rules
analysed is compared with each example, and outside that window only the lines that
contain the longest literal part of an example's first line (found with `str.rfind`, at
C speed) are. Pure module: no Django import.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.sparse import csr_matrix

from triage.failures.core.logtext import clean_text
from triage.failures.core.rootcause import LineRange, RootCause, locate_root_cause, normalise_line, normalise_lines

RULE_NAME = "known_failure"
MIN_FIRST_SIMILARITY = 0.3  # a start line must share this much with the example's first line
CONTEXT_WEIGHT = 0.5  # the line before the range (after it, for the end) counts half
MAX_SCORE = 3.0  # first + last line similarity, plus half of each neighbour's
MIN_SCORE = 2.0  # below this, the resemblance is too loose to trust over the rules
_MAX_END_SCORE = 1.0 + CONTEXT_WEIGHT
MIN_KEY_CHARS = 5  # literal parts shorter than this find too many lines outside the window
MAX_HITS_PER_EXAMPLE = 20  # the latest occurrences outside the window
MAX_OUTSIDE_LINES = 3000  # lines read around them, whatever the size of the log
NEIGHBOUR_LINES = 5  # how far the nearest non-blank neighbour of a range is looked for
MAX_SPAN = 400  # lines searched for a range's end: the excerpt shows far fewer
MAX_LINE_CHARS = 500  # only the start of a line is compared: some lines are megabytes

_TOKEN = re.compile(r"[A-Za-z_]+|[^\sA-Za-z_#\d]|#")
_LITERAL_SPLIT = re.compile(r"#|\s+")

Tokens = frozenset[str]


def _normalised(text: str) -> str:
    return normalise_line(text[:MAX_LINE_CHARS])


def _tokens(normalised: str) -> Tokens | None:
    return frozenset(_TOKEN.findall(normalised)) if normalised else None


@dataclass(frozen=True)
class ChunkExample:
    """A confirmed root-cause range, as normalised text of its edges and neighbours."""

    first: str
    last: str
    before: str
    after: str
    length: int
    source: int | None = field(default=None, compare=False)  # e.g. the stored example's id

    @classmethod
    def from_lines(cls, line_text: Callable[[int], str | None], start: int, end: int) -> ChunkExample:
        """The example of lines `start`..`end` (1-based); `line_text(n)` is the clean text
        of line n, None where unknown (past the log, or outside a stored excerpt)."""
        if start < 1 or end < start:
            raise ValueError(f"lines {start}-{end} are not a range of 1-based line numbers")
        first, last = (_normalised(line_text(n) or "") for n in (start, end))
        if not first and not last:
            raise ValueError(f"lines {start} and {end} are blank or unknown")
        return cls(
            first=first,
            last=last,
            before=_neighbour(line_text, start, -1),
            after=_neighbour(line_text, end, +1),
            length=end - start + 1,
        )

    def literal_key(self) -> str:
        """The longest literal part of the first line: every line it starts is found by it."""
        parts = _LITERAL_SPLIT.split(self.first)
        key = max(parts, key=len, default="")
        return key if len(key) >= MIN_KEY_CHARS else ""


def _neighbour(line_text: Callable[[int], str | None], edge: int, step: int) -> str:
    for distance in range(1, NEIGHBOUR_LINES + 1):
        number = edge + step * distance
        if number < 1:
            break
        text = line_text(number)
        if text is None:
            break
        normalised = _normalised(text)
        if normalised:
            return normalised
    return ""


@dataclass(frozen=True)
class KnownChunk:
    """Where a log resembles an example: lines `start`..`end`, and their clean text."""

    start: int
    end: int
    score: float  # 0..MAX_SCORE
    example: ChunkExample  # the one it resembles most
    lines: dict[int, str]  # clean text of the range and of a few lines around it

    @property
    def confidence(self) -> float:
        return round(self.score / MAX_SCORE, 4)

    def as_range(self) -> LineRange:
        return LineRange(self.start, self.end, self.confidence, RULE_NAME, self.start)


class _Tokeniser:
    """Token ids of lines, shared by the regions of one log: a line repeated anywhere in it
    (progress output, a report printed twice) is normalised and tokenised once."""

    def __init__(self) -> None:
        self.vocabulary: dict[str, int] = {}
        self.lines: dict[str, list[int]] = {}

    def ids(self, texts: list[str]) -> list[list[int]]:
        capped = [text[:MAX_LINE_CHARS] for text in texts]
        unseen = [text for text in dict.fromkeys(capped) if text not in self.lines]
        for text, normalised in zip(unseen, normalise_lines(unseen) if unseen else [], strict=True):
            self.lines[text] = [
                self.vocabulary.setdefault(token, len(self.vocabulary)) for token in _tokens(normalised) or ()
            ]
        return [self.lines[text] for text in capped]


class _Region:
    """Consecutive clean lines of the log, from line `first_line` (1-based), as a sparse
    line-by-token matrix, so that a line's likeness to an example's line is computed for
    all lines at once. `before`/`after` index each line's nearest non-blank neighbour."""

    def __init__(self, first_line: int, texts: list[str], tokeniser: _Tokeniser) -> None:
        self.first_line, self.texts = first_line, texts
        self.vocabulary = tokeniser.vocabulary
        indices: list[int] = []
        indptr = [0]
        for ids in tokeniser.ids(texts):
            indices.extend(ids)
            indptr.append(len(indices))
        size = len(texts)
        self.matrix = csr_matrix(
            (np.ones(len(indices)), np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
            shape=(size, max(len(self.vocabulary), 1)),
        )
        self.sizes = np.diff(self.matrix.indptr).astype(np.float64)
        present = self.sizes > 0
        positions = np.where(present, np.arange(size), -1)
        # nearest non-blank line strictly before / after each line (-1: none)
        self.before = np.concatenate(([-1], np.maximum.accumulate(positions)[:-1])) if size else positions
        reverse = np.where(present, np.arange(size), size)[::-1]
        after = np.concatenate(([size], np.minimum.accumulate(reverse)[:-1]))[::-1] if size else reverse
        self.after = np.where(after >= size, -1, after)

    def __len__(self) -> int:
        return len(self.texts)

    def likeness(self, tokens: Tokens | None) -> np.ndarray:
        """Jaccard similarity of every line's tokens with `tokens` (0 for blank lines)."""
        if not tokens or not len(self):
            return np.zeros(len(self))
        width = self.matrix.shape[1]  # tokens first seen in a later region are not in this one
        ids = [i for i in (self.vocabulary.get(token, width) for token in tokens) if i < width]
        if not ids:
            return np.zeros(len(self))
        wanted = np.zeros(width)
        wanted[ids] = 1.0
        shared = self.matrix @ wanted
        union = self.sizes + len(tokens) - shared
        return np.divide(shared, union, out=np.zeros(len(self)), where=union > 0)


def _neighbour_likeness(likeness: np.ndarray, neighbour: np.ndarray) -> np.ndarray:
    """For each line, the likeness of its neighbour line (0 where it has none)."""
    return np.where(neighbour >= 0, likeness[np.maximum(neighbour, 0)], 0.0)


@dataclass(frozen=True)
class _TokenExample:
    first: Tokens | None
    last: Tokens | None
    before: Tokens | None
    after: Tokens | None
    length: int

    @classmethod
    def of(cls, example: ChunkExample) -> _TokenExample:
        parts = (example.first, example.last, example.before, example.after)
        return cls(*(_tokens(part) for part in parts), example.length)


def _span(length: int) -> int:
    """How far after a start the end of a range like one of `length` lines is looked for."""
    return min(max(2 * length, length + 30), MAX_SPAN)


def _align(region: _Region, example: _TokenExample) -> tuple[float, int, int] | None:
    """The best (score, start, end) of `example` in `region`, as region indexes.

    The start is the line most like the example's first line (and its predecessor like
    the line before); the end, within twice the example's length, the line most like its
    last line (and its successor like the line after). Ties go to the later start: a log
    that repeats a report (a summary after the details) is labelled at its last one.
    """
    if example.first is None or not len(region):
        return None
    like_first = region.likeness(example.first)
    candidates = np.flatnonzero((like_first >= MIN_FIRST_SIMILARITY) & (region.sizes > 0))
    if not len(candidates):
        return None
    start_scores = like_first + CONTEXT_WEIGHT * _neighbour_likeness(region.likeness(example.before), region.before)
    # A start cannot win if even a perfect end would leave it below the threshold or below the
    # best start's score: dropping those saves the end search without changing the result.
    floor = max(MIN_SCORE, float(start_scores[candidates].max())) - _MAX_END_SCORE
    starts = candidates[start_scores[candidates] >= floor]
    end_scores = region.likeness(example.last) + CONTEXT_WEIGHT * _neighbour_likeness(
        region.likeness(example.after), region.after
    )
    end_scores[region.sizes == 0] = -1.0
    span, size = _span(example.length), len(region)
    best: tuple[float, int, int] | None = None
    for start in starts.tolist():
        window = end_scores[start : start + span]
        offset = int(window.argmax())
        end_score = float(window[offset])
        if end_score > 0.0:
            end = start + offset
        else:
            end, end_score = min(start + example.length, size) - 1, 0.0
        total = float(start_scores[start]) + end_score
        if best is None or total >= best[0]:
            best = (total, start, end)
    return best


def _key_hits(raw: str, examples: Sequence[ChunkExample]) -> list[tuple[int, int]]:
    """(character position, span) of the latest occurrences of each example's key text."""
    hits: list[tuple[int, int]] = []
    for example in examples:
        key = example.literal_key()
        position, found = len(raw), 0
        while key and found < MAX_HITS_PER_EXAMPLE:
            position = raw.rfind(key, 0, position)
            if position == -1:
                break
            hits.append((position, _span(example.length)))
            found += 1
    return hits


def _outside_regions(
    raw: str, examples: Sequence[ChunkExample], window: range, tokeniser: _Tokeniser
) -> list[_Region]:
    """Regions around the lines outside `window` (1-based numbers) that contain an example's
    key text: the latest first, MAX_OUTSIDE_LINES lines at most, overlapping ones merged."""
    numbered: list[tuple[int, int, int]] = []  # (line number, character offset of the line, span)
    counted_to, line_number = 0, 1
    for position, span in sorted(_key_hits(raw, examples)):  # newlines are counted once, in order
        line_start = raw.rfind("\n", 0, position) + 1
        line_number += raw.count("\n", counted_to, line_start)
        counted_to = max(counted_to, line_start)
        if line_number not in window:
            numbered.append((line_number, line_start, span))
    chosen: list[tuple[int, int, int]] = []  # (first character, end character, first line number)
    budget = MAX_OUTSIDE_LINES
    for line_number, line_start, span in sorted(numbered, reverse=True):
        if budget <= 0:
            break
        start, first_line = line_start, line_number
        for _ in range(NEIGHBOUR_LINES):  # a few lines before, for the neighbour
            if start == 0:
                break
            start = raw.rfind("\n", 0, start - 1) + 1
            first_line -= 1
        end = line_start
        for _ in range(span + NEIGHBOUR_LINES):
            newline = raw.find("\n", end)
            end = len(raw) if newline == -1 else newline + 1
            if newline == -1:
                break
        chosen.append((start, end, first_line))
        budget -= span + 2 * NEIGHBOUR_LINES
    merged: list[list[int]] = []
    for start, end, first_line in sorted(chosen):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, first_line])
    regions = []
    for start, end, first_line in merged:
        capped = "\n".join(text[:MAX_LINE_CHARS] for text in raw[start:end].split("\n"))
        regions.append(_Region(first_line, clean_text(capped).split("\n"), tokeniser))  # cleaned as the window is
    return regions


def find_known_chunk(raw: str, examples: Sequence[ChunkExample], root_cause: RootCause) -> KnownChunk | None:
    """The range of `raw` most like one of `examples` (most recent first), or None.

    `root_cause` is the rules' analysis of the same log: its window of clean lines is
    searched line by line; the rest of the log only where an example's key text occurs.
    """
    distinct = list(dict.fromkeys(examples))  # the same failure confirmed again: one search is enough
    if not distinct:
        return None
    window = range(root_cause.first_line, root_cause.first_line + len(root_cause.lines))
    tokeniser = _Tokeniser()
    regions = [
        _Region(root_cause.first_line, list(root_cause.lines), tokeniser),
        *_outside_regions(raw, distinct, window, tokeniser),
    ]
    best: tuple[float, int, int, int, _Region] | None = None
    for position, example in enumerate(distinct):
        token_example = _TokenExample.of(example)
        for region in regions:
            found = _align(region, token_example)
            if found is None:
                continue
            score, start, end = found
            line = region.first_line + start
            if best is None or score > best[0] or (score == best[0] and position == best[3] and line > best[1]):
                best = (score, line, region.first_line + end, position, region)
    if best is None or best[0] < MIN_SCORE:
        return None
    score, start, end, position, region = best
    shown = range(max(0, start - region.first_line - NEIGHBOUR_LINES),
                  min(len(region.texts), end - region.first_line + NEIGHBOUR_LINES + 1))
    lines = {region.first_line + index: region.texts[index] for index in shown}
    return KnownChunk(start=start, end=end, score=round(score, 4), example=distinct[position], lines=lines)


def with_known_chunk(ranges: Sequence[LineRange], known: KnownChunk | None) -> list[LineRange]:
    """The rules' ranges with the known chunk, if any, ranked first."""
    if known is None:
        return list(ranges)
    # The rules' ranges stay as the alternatives if the resemblance misleads: a range is
    # the cause only if the known chunk is not, so its confidence is scaled by that chance.
    doubt = 1.0 - known.confidence
    return [known.as_range(), *(replace(r, confidence=round(r.confidence * doubt, 4)) for r in ranges)]


def locate_with_examples(
    raw: str, examples: Sequence[ChunkExample], *, passed_raw: str | None = None
) -> tuple[RootCause, KnownChunk | None, list[LineRange]]:
    """The rules' analysis of `raw`, where it resembles one of `examples`, and the ranked ranges
    of both (see `with_known_chunk`)."""
    root_cause = locate_root_cause(raw, passed_raw=passed_raw)
    known = find_known_chunk(raw, examples, root_cause)
    return root_cause, known, with_known_chunk(root_cause.ranges, known)
