"""Turn a raw CI log into clean display lines, one per original line.

CI logs carry noise that the reader's terminal or the CI web page hides: GitHub Actions
timestamps, ANSI colour codes, Travis fold/timing markers and carriage-return progress
bars that overwrite themselves. We strip that noise but keep exactly one clean line per
original line, so a clean line's index *is* its original line number minus one and every
result can point back at the raw log without a separate mapping table.

The work is done with whole-text regular expressions (C speed) rather than a Python loop
per line: a 10 MB log must be cleaned in a few tens of milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# CSI sequences (colours, erase-line, cursor moves), OSC sequences and lone two-byte escapes.
_ANSI = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
# Escape codes whose ESC byte was lost on the way (copied from a web page, XML export).
_ORPHAN_ANSI = re.compile(r"\[(?:\d{1,3}(?:;\d{1,3})*)?[mK]")
# GitHub Actions prefixes every line with an ISO timestamp with 7 fractional digits.
_GHA_TIMESTAMP = re.compile(r"^\ufeff?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?", re.M)
_TRAVIS_MARKER = re.compile(r"travis_(?:fold|time):(?:start|end):[^\r\n]*?(?=\r|\x1b|$)", re.M)
# A carriage return not followed by a newline overwrites the line on a terminal: keep the
# last non-empty segment, which is what the reader saw.
_OVERWRITTEN = re.compile(r"^[^\n]*\r(?=[^\n\r]*[^\s\r][^\n\r]*$)", re.M)
# The same without its backtracking through every earlier carriage return of a line (quadratic
# in a long progress bar): only the last one can be followed by no other, so commit to it.
_OVERWRITTEN_LAST = re.compile(r"^(?>[^\n]*\r)(?=[^\n\r]*[^\s\r][^\n\r]*$)", re.M)
_CR = re.compile(r"\r+")


@dataclass(frozen=True)
class CleanLog:
    """Clean text of a log: `lines[i]` is what original line `i + 1` displayed."""

    lines: list[str]
    text: str

    @property
    def line_count(self) -> int:
        return len(self.lines)


def clean_text(raw: str) -> str:
    """Return `raw` without timestamps, ANSI codes, Travis markers and overwritten progress.

    The number of newline characters is preserved, so line N of the result is line N of
    the input.
    """
    text = raw
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    if "travis_" in text:
        text = _TRAVIS_MARKER.sub("", text)
    if _GHA_TIMESTAMP.search(text, 0, 4096):
        text = _GHA_TIMESTAMP.sub("", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        text = _OVERWRITTEN_LAST.sub("", text)  # _OVERWRITTEN.sub("", text), faster
        text = _CR.sub("", text)
    return text


def clean_log(raw: str) -> CleanLog:
    """Clean `raw` (see `clean_text`) and split it into lines, one per original line."""
    text = clean_text(raw)
    lines = text.split("\n")
    if lines and lines[-1] == "" and len(lines) > 1:
        # A trailing newline does not start another line.
        lines.pop()
    return CleanLog(lines=lines, text=text)


def clean_line(raw: str) -> str:
    """Clean a single line, including escape codes whose ESC byte was lost."""
    return _ORPHAN_ANSI.sub("", clean_text(raw)).strip("\n")


def decode_log(data: bytes) -> str:
    """Decode log bytes as UTF-8, replacing invalid bytes rather than failing. NUL bytes
    (binary output) are dropped: PostgreSQL text cannot hold them."""
    return data.decode("utf-8", errors="replace").replace("\x00", "")
