"""One call from a failed job's log to everything the triage needs to store and show."""

from __future__ import annotations

from dataclasses import dataclass

from triage.checks.category import categorise
from triage.checks.excerpt import build_excerpt, compress_excerpt
from triage.checks.fingerprint import failure_fingerprint
from triage.checks.rootcause import LineRange, locate_root_cause
from triage.checks.rules import RULES_VERSION, Category


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


def analyse_log(text: str, passed_text: str | None = None, *, conclusion: str | None = None) -> Analysis:
    """Analyse the log of a failed job; `passed_text` is a passing log of the same job."""
    root_cause = locate_root_cause(text, passed_raw=passed_text)
    ranges = root_cause.ranges
    excerpt = build_excerpt(root_cause.line, ranges)
    verdict = categorise(ranges, excerpt_text=excerpt.text, conclusion=conclusion)
    top = ranges[0] if ranges else None
    fingerprint = failure_fingerprint([root_cause.line(n) or "" for n in range(top.anchor, top.end + 1)]) if top else ""
    return Analysis(
        root_cause=ranges,
        category=verdict.category,
        category_confidence=verdict.confidence,
        fingerprint=fingerprint,
        fingerprint_confidence=top.confidence if top else 0.0,
        excerpt=compress_excerpt(excerpt),
        excerpt_text=excerpt.text,
    )
