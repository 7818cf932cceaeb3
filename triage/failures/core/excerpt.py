"""A compressed excerpt of the root-cause region, to store instead of the whole log.

The excerpt keeps the ranked ranges with a few lines of context, each line with its
original line number, and which lines are root cause (to highlight them). It is stored
as zlib-compressed JSON; `EXCERPT_FORMAT` is bumped if the layout changes.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from triage.failures.core.rootcause import LineRange

EXCERPT_FORMAT = 1
MAX_LINE_CHARS = 2000


class ExcerptFormatError(Exception):
    """Stored excerpt bytes cannot be read back."""


@dataclass(frozen=True)
class ExcerptLine:
    number: int  # 1-based line number in the original log
    text: str
    highlighted: bool


@dataclass(frozen=True)
class Excerpt:
    lines: list[ExcerptLine]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def highlighted_numbers(self) -> list[int]:
        return [line.number for line in self.lines if line.highlighted]


def build_excerpt(
    line_text: Callable[[int], str | None], ranges: Sequence[LineRange], *, context: int = 3, max_lines: int = 200
) -> Excerpt:
    """The lines of `ranges` with `context` lines around them.

    `line_text(n)` gives the clean text of line n (1-based), None past the known lines.
    Ranges are taken in rank order until `max_lines` lines are used, then shown in log order.
    """
    highlighted: set[int] = set()
    shown: set[int] = set()
    for line_range in ranges:
        wanted = set(range(max(1, line_range.start - context), line_range.end + context + 1))
        if shown and len(shown | wanted) > max_lines:
            break
        shown |= wanted
        highlighted |= set(line_range.lines())
    excerpt_lines = []
    for number in sorted(shown)[:max_lines]:
        text = line_text(number)
        if text is not None:
            excerpt_lines.append(ExcerptLine(number, text[:MAX_LINE_CHARS], number in highlighted))
    return Excerpt(excerpt_lines)


def compress_excerpt(excerpt: Excerpt) -> bytes:
    payload = {
        "format": EXCERPT_FORMAT,
        "lines": [[line.number, line.text, line.highlighted] for line in excerpt.lines],
    }
    return zlib.compress(json.dumps(payload, ensure_ascii=False).encode("utf-8"), 9)


def decompress_excerpt(data: bytes) -> Excerpt:
    try:
        payload = json.loads(zlib.decompress(data).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExcerptFormatError(f"stored excerpt is not readable: {error}") from error
    if not isinstance(payload, dict) or payload.get("format") != EXCERPT_FORMAT:
        found = payload.get("format") if isinstance(payload, dict) else type(payload).__name__
        raise ExcerptFormatError(f"excerpt format {found!r} is not {EXCERPT_FORMAT}")
    try:
        return Excerpt([ExcerptLine(int(n), str(text), bool(flag)) for n, text, flag in payload["lines"]])
    except (KeyError, TypeError, ValueError) as error:
        raise ExcerptFormatError(f"stored excerpt lines are not readable: {error!r}") from error
