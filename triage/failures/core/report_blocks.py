"""How the lines around a matched line are gathered into one error report: a header, the lines
indented under it, and further lines of the same family."""

from __future__ import annotations

import re
from collections.abc import Iterable

from triage.failures.core.rule_matcher import is_noise
from triage.failures.core.rules import Block, Category, Rule

MAX_BLOCK_LINES = 30

# Structural evidence: the last thing the failing command printed before exiting.
LAST_WORDS = Rule(
    "last_words_before_exit", re.compile(""), 0.25, Category.UNKNOWN, Block.LINE
)  # candidate lines nearest the exit that the rules are run on


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def report_block(lines: list[str], anchor: int, rule: Rule, matches: dict[int, list[Rule]]) -> tuple[int, int]:
    """Gather the lines around `anchor` that belong to the same error report.

    Reports are shaped by indentation: a less-indented header line, then indented
    details (messages, stack frames, source context). Going up, the block takes the
    indented lines above the anchor and the header that opens them; going down, the
    lines indented under the header, across a single blank line, and further lines of
    the same family (the next error of the same compiler, the next failed test).
    """
    start = _opener_above(lines, anchor, matches) if rule.block is Block.TRACEBACK else anchor
    if start == anchor:
        start = _header_above(lines, anchor, rule, matches)
    head_indent = _indent(lines[start])
    end = anchor
    while end + 1 < len(lines) and end - start < MAX_BLOCK_LINES - 1:
        following = lines[end + 1]
        if not following.strip():
            after = end + 2
            if after < len(lines) and lines[after].strip() and _indent(lines[after]) > head_indent:
                end += 1  # a blank line inside an indented report
                continue
            break
        if is_noise(following):
            break
        continues = (
            _indent(following) > head_indent
            or following[:1] in "\t^|~"
            or (rule.name == "powershell_error" and following.startswith("+ "))  # the record's fields
            or _same_family(matches.get(end + 1), rule)
            or (rule.block is not Block.LINE and _indent(following) >= head_indent)
        )
        if not continues:
            break
        end += 1
    return start, end


def _header_above(lines: list[str], anchor: int, rule: Rule, matches: dict[int, list[Rule]]) -> int:
    """Start of the report containing `anchor`: indented lines above it and their header."""
    start = anchor
    body_indent = _indent(lines[anchor])
    while start > 0 and anchor - start < MAX_BLOCK_LINES // 2:
        previous = lines[start - 1]
        if not previous.strip() or is_noise(previous) or previous.startswith(("$ ", "##[")):
            break
        indent = _indent(previous)
        if indent > body_indent or (indent == body_indent > 0):
            start -= 1  # more of the same indented body (stack frames, context lines)
        elif indent < body_indent:
            start -= 1  # the header that opens the indented body
            break
        elif _same_family(matches.get(start - 1), rule) or rule is LAST_WORDS:
            start -= 1
        else:
            break
    return start


_OPENERS = ("traceback", "pytest_header", "unittest_failed", "jest_failed", "go_test_fail", "cargo_test_fail")


def _opener_above(lines: list[str], anchor: int, matches: dict[int, list[Rule]]) -> int:
    """The traceback or test header that opens the report ending at `anchor`, if close."""
    for index in range(anchor - 1, max(-1, anchor - MAX_BLOCK_LINES), -1):
        names = {r.name for r in matches.get(index, ())}
        if names & set(_OPENERS):
            return index
        if not lines[index].strip() and index > 0 and not lines[index - 1].strip():
            break
    return anchor


def _same_family(rules: Iterable[Rule] | None, rule: Rule) -> bool:
    if not rules:
        return False
    return any(other.name == rule.name or (other.category == rule.category and other.weight >= 0.5) for other in rules)
