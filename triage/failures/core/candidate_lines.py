"""The lines of a log window that any rule could match: those holding a prefilter word or
shape, found with literal searches from the end of the window backwards."""

from __future__ import annotations

import bisect
import itertools

from triage.failures.core.prefilters import PREFILTER_SHAPES, PREFILTER_WORDS
from triage.failures.core.rule_matcher import SHAPE_AFTER_NEWLINE, SHAPE_ANYWHERE, SHAPE_AT_START

_FIRST_BLOCK = 16_384  # characters searched for candidates at the end of the window, doubled until enough


def candidate_lines(lines: list[str], limit: int | None = None) -> tuple[list[int], dict[int, list[str]] | None]:
    """Indices of lines containing a prefilter word or shape (see `prefilters.PREFILTER_WORDS`): all
    of them, or the last `limit` and possibly more; and the prefilter words each line of them
    contains (None when unknown).

    The text is searched backwards in blocks of whole lines (no word or shape spans lines),
    until the blocks hold `limit` candidate lines: earlier lines could not be among the last.
    """
    joined = "\n".join(lines)
    text = joined.lower()
    starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    if len(text) != len(joined):  # lower-casing lengthened a character (İ): offsets are shifted
        return _shifted_candidate_lines(text, starts), None
    find, line_of = text.find, bisect.bisect_right
    words: dict[int, list[str]] = {}
    found: set[int] = set()
    block_end_line, size = len(lines), _FIRST_BLOCK  # the block is lines[block_line:block_end_line]
    while block_end_line > 0 and (limit is None or len(found) < limit):
        end = len(text) if block_end_line == len(lines) else starts[block_end_line]
        block_line = 0 if limit is None else max(0, line_of(starts, end - size) - 1)
        block_line = min(block_line, block_end_line - 1)
        start, last = starts[block_line], block_end_line - 1
        for word in PREFILTER_WORDS:
            position = find(word, start, end)
            while position != -1:
                line = line_of(starts, position) - 1
                listed = words.get(line)
                if listed is None:
                    words[line] = [word]
                else:
                    listed.append(word)
                if line == last:
                    break
                position = find(word, starts[line + 1], end)
        found.update(words)
        # PREFILTER_SHAPES, in parts: at the block's first line, after each newline but the
        # one ending the block (that starts the next block's first line), anywhere.
        if SHAPE_AT_START.match(text, start, end):
            found.add(block_line)
        after = SHAPE_AFTER_NEWLINE.finditer(text, start, end - 1 if end < len(text) else end)
        found.update(bisect.bisect_right(starts, match.start() + 1) - 1 for match in after)
        inside = SHAPE_ANYWHERE.finditer(text, start, end)
        found.update(bisect.bisect_right(starts, match.start()) - 1 for match in inside)
        block_end_line = block_line
        if limit is not None and found:  # the next block: about what holds the missing candidates
            per_candidate = (len(text) - starts[block_line]) / len(found)
            size = max(_FIRST_BLOCK, int((limit - len(found)) * per_candidate * 1.2))
        else:
            size *= 2
    return sorted(found), words


def _shifted_candidate_lines(text: str, starts: list[int]) -> list[int]:
    """The candidate lines as found when offsets in `text` are shifted from those of the lines."""
    find = text.find
    positions: set[int] = set()
    for word in PREFILTER_WORDS:
        position = find(word)
        while position != -1:
            positions.add(position)
            line_end = find("\n", position)
            if line_end == -1:
                break
            position = find(word, line_end)
    positions.update(match.start() for match in PREFILTER_SHAPES.finditer(text))
    return sorted({bisect.bisect_right(starts, position) - 1 for position in positions})
