"""One call from a failed job's log to everything the triage needs to store and show."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from triage.failures.core.category import categorise
from triage.failures.core.excerpt import build_excerpt, compress_excerpt
from triage.failures.core.fingerprint import failure_fingerprint
from triage.failures.core.learned import ChunkExample, KnownChunk, locate_with_examples
from triage.failures.core.rootcause import LineRange
from triage.failures.core.rules import RULES_VERSION, Category


@dataclass(frozen=True)
class Analysis:
    root_cause: list[LineRange]
    category: Category
    category_confidence: float
    fingerprint: str
    fingerprint_confidence: float
    excerpt: bytes  # zlib JSON, see excerpt.decompress_excerpt
    excerpt_text: str
    rules_version: str = RULES_VERSION
    known: KnownChunk | None = None  # where the log resembles a confirmed root cause


def analyse_log(
    text: str,
    passed_text: str | None = None,
    *,
    conclusion: str | None = None,
    examples: Sequence[ChunkExample] = (),
) -> Analysis:
    """Analyse the log of a failed job; `passed_text` is a passing log of the same job and
    `examples` the root causes maintainers confirmed in the repository, most recent first."""
    root_cause, known, ranges = locate_with_examples(text, examples, passed_raw=passed_text)

    def line_text(number: int) -> str | None:
        found = known.lines.get(number) if known is not None else None
        return found if found is not None else root_cause.line(number)

    excerpt = build_excerpt(line_text, ranges)
    # The category is the rules' verdict: a resemblance says where the cause is, not what it is.
    verdict = categorise(root_cause.ranges, excerpt_text=excerpt.text, conclusion=conclusion)
    top = ranges[0] if ranges else None
    fingerprint = failure_fingerprint(_fingerprint_lines(line_text, top)) if top else ""
    return Analysis(
        root_cause=ranges,
        category=verdict.category,
        category_confidence=verdict.confidence,
        fingerprint=fingerprint,
        fingerprint_confidence=top.confidence if top else 0.0,
        excerpt=compress_excerpt(excerpt),
        excerpt_text=excerpt.text,
        known=known,
    )


FINGERPRINT_FOLLOWING = 2  # lines under a short range that still belong to its report


def _fingerprint_lines(line_text: Callable[[int], str | None], top: LineRange) -> list[str]:
    """The range's lines from its anchor; under a range of one or two lines, also the next
    non-blank lines: a header ("FAILED: x", "Parse error on line 3:") says where, the
    line under it what, and only both together tell two failures apart."""
    lines = [line_text(n) or "" for n in range(top.anchor, top.end + 1)]
    if top.end - top.anchor >= 2:
        return lines
    number, added = top.end + 1, 0
    while added < FINGERPRINT_FOLLOWING and number <= top.end + 10:
        text = line_text(number)
        if text is None:
            break
        if text.strip():
            lines.append(text)
            added += 1
        number += 1
    return lines
