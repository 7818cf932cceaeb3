"""Where a CI log says which step failed: exit markers and the command that produced them.

Travis prints `$ command` before each command and `The command "..." exited with N.`
after a failing one, then `Done. Your build exited with 1.`; GitHub Actions opens each
step with `##[group]Run ...` and ends a failing one with
`##[error]Process completed with exit code N.` The output of the *first* failing command
is where the cause almost always is: later steps (after_failure, cleanup, uploads) run
because the build already failed.

These functions work on the raw text with single regex passes, so they stay cheap on
logs of many megabytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Exit markers, found by their literal core first (fast on megabytes), then checked
# against the whole line.
_EXIT_LITERALS = ("exit code ", "exited with ", '" failed ')
_EXIT_LINE = re.compile(
    r"^(?:\x1b\[[0-9;]*m)*The command \".*\" failed \d+ times|"  # Travis colours it red
    r"##\[error\]Process completed with exit code [1-9]|\" exited with [1-9]\d*\.|"
    r"##\[error\]The process '.*' failed with exit code [1-9]|ERROR: Job failed: exit code [1-9]|"
    r"Done\. Your build exited with [1-9]|Error: Process completed with exit code [1-9]",
    re.M,
)
_CONTINUED_EXIT = re.compile(r"(?:\x1b\[[0-9;]*[mK])*\" exited with ")
STEP_LOOKBACK = 1_000_000  # a step announced further back is older than the analysed window anyway
_STEP_MARKERS = ("\n$ ", "\x1b[0K$ ", "##[group]Run ", "\nStep ")
_RECENT = 65_536  # characters before the exit searched for a step marker first
_FIRST_CHUNK = 262_144  # characters searched first for an exit line, doubled until one is found


@dataclass(frozen=True)
class FailingStep:
    """Character offsets in the raw text of the first failing command's output.

    `start` is the beginning of the line announcing the command (or 0 when none is
    found); `exit_start`/`exit_end` delimit the exit-marker line (both equal to the end
    of the text when the log has no exit marker, for example a killed runner).
    """

    start: int
    exit_start: int
    exit_end: int

    @property
    def has_exit_marker(self) -> bool:
        return self.exit_start != self.exit_end


def failing_step(raw: str) -> FailingStep:
    """Locate the output of the first failing command in `raw`."""
    exit_span = _first_exit_line(raw)
    if exit_span is None:
        end = len(raw)
        start = _last_step_start(raw, end)
        return FailingStep(start=start, exit_start=end, exit_end=end)
    exit_start, exit_end = exit_span
    # A Travis command that spans several lines prints its exit message over several
    # lines too: the marker line starts with `" exited with`, and the message starts at
    # the line beginning with `The command "` above it.
    if _CONTINUED_EXIT.match(raw, exit_start):
        quote_start = raw.rfind('The command "', max(0, exit_start - 4000), exit_start)
        if quote_start != -1 and raw.count("\n", quote_start, exit_start) < 40:
            exit_start = raw.rfind("\n", 0, quote_start) + 1
    start = _last_step_start(raw, exit_start)
    return FailingStep(start=start, exit_start=exit_start, exit_end=exit_end)


def _first_exit_line(raw: str) -> tuple[int, int] | None:
    """Start and end offsets of the first line reporting a non-zero exit, or None.

    The text is searched in chunks of whole lines (growing from the start), so that a long
    log whose exit comes early is not searched to its end for the literals it lacks.
    """
    start, size = 0, _FIRST_CHUNK
    while start < len(raw):
        end = raw.find("\n", min(len(raw), start + size))
        end = len(raw) if end == -1 else end + 1
        best = _first_exit_line_in(raw, start, end)
        if best is not None:
            return best
        start, size = end, size * 2
    return None


def _first_exit_line_in(raw: str, start: int, end: int) -> tuple[int, int] | None:
    """The first exit line in `raw[start:end]` (whole lines): the earliest over the literals."""
    best: tuple[int, int] | None = None
    for literal in _EXIT_LITERALS:
        position = raw.find(literal, start, end)
        while position != -1 and (best is None or position < best[0]):
            line_start = raw.rfind("\n", 0, position) + 1
            line_end = raw.find("\n", position)
            line_end = len(raw) if line_end == -1 else line_end
            if _EXIT_LINE.search(raw, line_start, line_end):
                best = (line_start, line_end)
                break
            position = raw.find(literal, line_end, end)
    return best


def _last_step_start(raw: str, before: int) -> int:
    """Offset of the line announcing the last command before `before` (0 if none)."""
    lowest = max(0, before - STEP_LOOKBACK)
    # The nearest part first: a marker found there is after any found only further back.
    recent = max(lowest, before - _RECENT)
    found = max(raw.rfind(marker, recent, before) for marker in _STEP_MARKERS)
    if found == -1 and recent > lowest:
        found = max(raw.rfind(marker, lowest, before) for marker in _STEP_MARKERS)
    if found == -1:
        return lowest
    return raw.rfind("\n", 0, found + 1) + 1 if raw[found] != "\n" else found + 1
