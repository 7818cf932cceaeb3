"""The rules of `rules` run fast on a line: `matching_rules` and `is_noise` give exactly the
answers of `rule.pattern.search` and `NOISE.search`, several times faster. The tables they
rely on are data in `rules` and `prefilters`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from triage.failures.core.prefilters import NOISE, NOISE_ERROR_HINT, NOISE_HINTS, PREFILTER_SHAPES, PREFILTER_WORDS
from triage.failures.core.rules import (
    ANYWHERE_ENDINGS,
    ANYWHERE_EQUIVALENTS,
    ANYWHERE_HINTS,
    AT_START_HINTS,
    RULES,
    Rule,
)

# How:
#
# * a rule's `^`-anchored alternatives can only match at the start of the line: one `match`
#   of all of them together tells whether any does;
# * its other alternatives run only on the lines containing a literal that each of their
#   matches contains (the hint tables in `rules`, else the rule's `needs`). When the caller knows which
#   `PREFILTER_WORDS` a line contains (it found them to pick the candidate lines), the
#   hints that contain such a word are checked through that knowledge, without scanning
#   the line again.
#
# A rule missing from the hint tables is still matched correctly, only more slowly.


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression: `a|b(c|d)` -> `a`, `b(c|d)`."""
    parts: list[str] = []
    current: list[str] = []
    depth, in_class, index = 0, False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            current.append(pattern[index : index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            current.append(char)
            index += 1
            for special in "^]":  # `[^]...]` and `[]...]`: a leading `]` is a literal
                if pattern[index : index + 1] == special:
                    current.append(special)
                    index += 1
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append("".join(current))
            current = []
            index += 1
            continue
        current.append(char)
        index += 1
    parts.append("".join(current))
    if "|".join(parts) != pattern:  # pragma: no cover - a parsing mistake
        raise ValueError(f"cannot split {pattern!r}")
    return parts


@dataclass(frozen=True)
class _Part:
    """The anchored or the unanchored alternatives of a rule, and what a line needs for them."""

    index: int  # of the rule in RULES
    rule: Rule
    pattern: re.Pattern[str]
    anchored: bool  # `^` alternatives only: `match`, not `search`
    hints: tuple[str, ...] = ()  # lower-case literals one of which every match contains
    endings: tuple[str, ...] = ()  # one of which every matching line ends with
    words: frozenset[str] = frozenset()  # prefilter words contained in hints (a line with none lacks those hints)
    unworded: tuple[str, ...] = ()  # the hints containing no prefilter word
    gated: bool = False  # whether `words` and `unworded` cover every match


def _part(index: int, rule: Rule, source: str, anchored: bool, hints: tuple[str, ...], endings=()) -> _Part:
    """A part, with the prefilter words standing for its hints (or its rule's `needs`)."""
    best: tuple[set[str], list[str]] | None = None
    for literals in (hints, rule.needs):  # either is a condition: use the one better expressed in words
        if not literals:
            continue
        words: set[str] = set()
        unworded: list[str] = []
        for literal in literals:
            inside = [word for word in PREFILTER_WORDS if word in literal]
            if inside:
                words.add(max(inside, key=len))  # the line contains it whenever it contains the literal
            else:
                unworded.append(literal)
        if best is None or len(unworded) < len(best[1]):
            best = (words, unworded)
    return _Part(
        index, rule, re.compile(source, rule.pattern.flags), anchored, hints, endings,
        frozenset(best[0]) if best else frozenset(), tuple(best[1]) if best else (), best is not None,
    )


def _plan() -> tuple[tuple[tuple[bool, re.Pattern[str]], ...], tuple[_Part, ...], tuple[_Part, ...]]:
    starts: list[_Part] = []  # anchored parts tried only when one of them matches (see `any_start`)
    gated: list[_Part] = []  # parts tried on the lines having their `needs`, hints and endings
    for index, rule in enumerate(RULES):
        alternatives = _alternatives(rule.pattern.pattern)
        anchored = [alternative for alternative in alternatives if alternative.startswith("^")]
        others = [alternative for alternative in alternatives if not alternative.startswith("^")]
        if anchored:
            part = _part(index, rule, "|".join(anchored), True, AT_START_HINTS.get(rule.name, ()))
            (gated if part.gated else starts).append(part)
        if others:
            source = ANYWHERE_EQUIVALENTS.get(rule.name, "|".join(others))
            hints, endings = ANYWHERE_HINTS.get(rule.name, ()), ANYWHERE_ENDINGS.get(rule.name, ())
            gated.append(_part(index, rule, source, False, hints, endings))
    # One `match` per group of start parts (by the text they see and their flags): does any match?
    groups: dict[tuple[bool, int], list[str]] = {}
    for part in starts:
        groups.setdefault((part.rule.on_lower, part.pattern.flags), []).append(f"(?:{part.pattern.pattern})")
    any_start = tuple((on_lower, re.compile("|".join(sources), flags)) for (on_lower, flags), sources in groups.items())
    return any_start, tuple(starts), tuple(gated)


_ANY_START, _STARTS, _GATED = _plan()
_UNGATED = tuple(position for position, part in enumerate(_GATED) if not part.gated)
_UNWORDED = tuple((position, part.unworded) for position, part in enumerate(_GATED) if part.gated and part.unworded)
_BY_WORD: dict[str, tuple[int, ...]] = {
    word: tuple(position for position, part in enumerate(_GATED) if part.gated and word in part.words)
    for word in PREFILTER_WORDS
}


def matching_rules(line: str, lower: str, words: Iterable[str] | None = None) -> list[Rule]:
    """The rules found in `line` (one line: no newline; `lower` is `line.lower()`), in `RULES` order.

    The same as `[rule for rule in RULES if (not rule.needs or any(word in lower for word in
    rule.needs)) and rule.pattern.search(lower if rule.on_lower else line)]`: a `^` matches at
    the start of a line only, so the anchored alternatives are the same with `match`.

    `words`, when given, are all the `PREFILTER_WORDS` that the line's lower-cased text
    (possibly longer than `line`, which can be its start) contains.
    """
    found: list[int] = []
    if any(pattern.match(lower if on_lower else line) for on_lower, pattern in _ANY_START):
        for part in _STARTS:
            if part.pattern.match(lower if part.rule.on_lower else line):
                found.append(part.index)
    if words is None:
        parts: Iterable[_Part] = _GATED
    else:  # the hints of the parts selected here are as good as checked (they are only a pre-check)
        selected = set(_UNGATED)
        for word in words:
            selected.update(_BY_WORD.get(word, ()))
        for position, unworded in _UNWORDED:
            if position not in selected and any(literal in lower for literal in unworded):
                selected.add(position)
        parts = [_GATED[position] for position in sorted(selected)]
    for part in parts:
        rule = part.rule
        needs = rule.needs
        if needs and not (needs[0] in lower if len(needs) == 1 else any(word in lower for word in needs)):
            continue
        if words is None and part.hints and not any(word in lower for word in part.hints):
            continue
        text = lower if rule.on_lower else line
        if part.endings and not text.endswith(part.endings):
            continue
        if (part.pattern.match if part.anchored else part.pattern.search)(text):
            found.append(part.index)
    if not found:
        return []
    return [RULES[index] for index in sorted(set(found))]


_NOISE_ALTERNATIVES = _alternatives(NOISE.pattern)
_NOISE_AT_START = re.compile("|".join(a for a in _NOISE_ALTERNATIVES if a.startswith("^")), NOISE.flags)
_NOISE_ANYWHERE = re.compile("|".join(a for a in _NOISE_ALTERNATIVES if not a.startswith("^")), NOISE.flags)


def is_noise(line: str) -> bool:
    """`bool(NOISE.search(line))`, faster."""
    if _NOISE_AT_START.match(line):
        return True
    if any(word in line for word in NOISE_HINTS) or NOISE_ERROR_HINT.search(line):
        return _NOISE_ANYWHERE.search(line) is not None
    return False


# PREFILTER_SHAPES in two parts that the regex engine can skip ahead through (an alternation
# starting with `^` is tried at every character): the line starts (after a newline, or where
# a search starts), and the alternatives found anywhere in a line.
_SHAPE_ALTERNATIVES = _alternatives(PREFILTER_SHAPES.pattern)
_SHAPE_STARTS = "|".join(a[1:] for a in _SHAPE_ALTERNATIVES if a.startswith("^"))
SHAPE_AT_START = re.compile(f"(?:{_SHAPE_STARTS})", PREFILTER_SHAPES.flags)  # `match` at a line's start
SHAPE_AFTER_NEWLINE = re.compile(f"\n(?=(?:{_SHAPE_STARTS}))", PREFILTER_SHAPES.flags)  # the newline before it
SHAPE_ANYWHERE = re.compile("|".join(a for a in _SHAPE_ALTERNATIVES if not a.startswith("^")), PREFILTER_SHAPES.flags)
