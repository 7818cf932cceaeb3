"""Rank the line ranges of a failed CI log that explain the failure.

Three kinds of evidence are combined:

* rules (`rules.RULES`): what a line says (a compiler error, a test failure header...);
* structure (`structure.failing_step`): where it is — lines in the output of the first
  failing command, close to its exit, count most;
* a passing log of the same job, when given: a line that also appears (after
  normalising numbers, hashes, paths and times) in the passing log is not the cause.

Only a window of the raw text before the first failing exit is analysed, so the cost is
bounded whatever the size of the log.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from triage.failures.core.candidate_lines import candidate_lines
from triage.failures.core.logtext import clean_text
from triage.failures.core.report_blocks import LAST_WORDS, report_block
from triage.failures.core.rule_matcher import is_noise, matching_rules
from triage.failures.core.rules import RULES_BY_NAME, Block, Category, Rule
from triage.failures.core.structure import failing_step

WINDOW_BEFORE_EXIT = 220_000  # characters of raw log analysed before the exit marker
WINDOW_AFTER_EXIT = 20_000  # after it (a killed runner may print its reason after)
# A window is cut at line ends, so one line of megabytes (a JSON dump, a progress bar
# redrawn with carriage returns) would make it that long: such lines are cut, since the
# rules read only the start of a line anyway.
MAX_WINDOW_CHARS = 2 * (WINDOW_BEFORE_EXIT + WINDOW_AFTER_EXIT)
MAX_WINDOW_LINE_CHARS = 20_000
MAX_RULE_CHARS = 500  # rules look at the start of a line only: some lines are megabytes
MAX_CANDIDATES = 500
PROXIMITY_LINES = 20.0  # non-blank lines over which closeness to the exit fades
PROXIMITY_FLOOR, PROXIMITY_GAIN = 0.6, 0.45  # far lines keep 60 %, the last lines get up to 105 %
AFTER_EXIT_FACTOR = 0.5
FIRST_REPORT_BONUS = 1.3
RESTATEMENT_FACTOR = 0.6
SECTION_START_BONUS = 1.4
_SECTION_BANNER = re.compile(
    r"^\s*[=_*#-]{3,} ?(?:FAILURES|ERRORS|Failures|Errors|FAILED TESTS|Failed tests):?[ =_*#-]*$|"
    r"^\s*\d+ failing$|^Failures:$|"  # mocha's and rspec's detailed reports follow these
    r"^={3,} short test summary info ={3,}$"  # pytest's one line per failed test, with its reason
)
# Rules whose line is a verdict followed by a test's description ("not ok 6 no errors"):
# the words of a description are a name, not a report, so NOISE does not apply to them.
_NAMES_A_TEST = frozenset({"tap_not_ok"})

# A shell trace (`set -x`) of echo/printf: the message it prints follows on the next line,
# which is the statement a reader looks at; the trace is only the command.
_ECHO_TRACE = re.compile(r"^\s*\++ (?:echo|printf)\b")
ECHO_TRACE_FACTOR = 0.3

# A runner's closing verdict ("** TEST FAILED **", "Test suite x: FAIL") only says that
# something failed; the reports above it say what.
_VERDICT = re.compile(
    r"^\W*(?:\*\* ?)?(?:TEST(?: EXECUTE| BUILD)? FAILED|BUILD FAILED|Result: FAIL|TEST FAILURE|"
    r"Test suite \S+: FAIL|Some test suites failed|Failed \d+/\d+ test programs|Failed components:|"
    r"\*\*\* Failed \*\*\*|The following build commands failed:)|^[\w -]*\b(?:[Bb]uild|[Cc]heck) (?:FAILED|failed)\W*$"
)
VERDICT_FACTOR = 0.5

# A line that counts problems ("due to 2 errors", "Found 1 violation") sums up the
# reports printed above it; the generic word rules would otherwise rank it first.
# Written `\d(?<!\w\d)\d*` rather than `\b\d+` (the same matches): starting with a digit lets the
# regex engine skip ahead to one.
_COUNT_SUMMARY = re.compile(r"\d(?<!\w\d)\d* (?:errors?|failures?|violations?|problems?|offen[cs]es?|failed)\b")
COUNT_SUMMARY_FACTOR = 0.6

# A failure the tool is about to retry ("Failed to fetch x, retrying...") was not final:
# the cause is how the last attempt failed.
_RETRIED = re.compile(r"\bretrying\b|\b[Tt]rying again\b|\bwill (?:be )?retr(?:y|ied)\b|\bRetrying\b")
RETRIED_FACTOR = 0.5

# Python prints an uncaught exception as the traceback's last line, right under the
# innermost frame (`  File "x.py", line N, in f`, then its source line and, for a
# SyntaxError, a caret line): a statement of the exception type and message as the
# interpreter raised it, stronger than the same words printed by a logger.
_FRAME = re.compile(r'^\s+File "[^"]+", line \d+')
TRACEBACK_END_BONUS = 1.2
# A test report's header (pytest's `____ test_x ____`, unittest's `FAIL: test_x (m.C)`), or a
# pytest banner (`==== short test summary info ====`) that closes the reports.
_TEST_REPORT_SECTION = re.compile(r"^(?:_{3,} .+ _{3,}|={3,} .+ ={3,}|(?:FAIL|ERROR): \S.*)$")
REPORT_LOOKBACK = 500

_NORMALISE = re.compile(
    r"\d{4}-\d\d-\d\d[T ][\d:.]+Z?|0x[0-9a-fA-F]+|\b[0-9a-f]{7,64}\b|(?:/[\w.@+-]+)+/|\d+(?:\.\d+)?"
)


@dataclass(frozen=True)
class LineRange:
    """Lines `start`..`end` (1-based, inclusive) of the original log.

    `anchor` is the single line that made the range (the rule match); `rule` names it.
    """

    start: int
    end: int
    confidence: float
    rule: str
    anchor: int

    def lines(self) -> range:
        return range(self.start, self.end + 1)


@dataclass
class _Window:
    lines: list[str]
    first_line: int  # 0-based index in the original log of `lines[0]`
    region_start: int  # window-relative index of the failing command's first line
    exit_line: int  # window-relative index of the exit marker (len(lines) if none)


def normalise_line(line: str) -> str:
    """A line with volatile parts (numbers, hashes, paths, times) replaced by `#`."""
    return " ".join(_NORMALISE.sub("#", line).split())


def normalise_lines(lines: list[str]) -> list[str]:
    """`normalise_line` of each line, with one regular-expression pass over all of them."""
    joined = _NORMALISE.sub("#", "\n".join(lines))
    return [" ".join(line.split()) for line in joined.split("\n")]


@dataclass(frozen=True)
class RootCause:
    """Ranked ranges, and the clean text of the analysed window to show them with."""

    ranges: list[LineRange]
    first_line: int  # 1-based number of `lines[0]`
    lines: list[str]

    def line(self, number: int) -> str | None:
        """Clean text of original line `number`, or None outside the analysed window."""
        index = number - self.first_line
        return self.lines[index] if 0 <= index < len(self.lines) else None


def rank_root_cause(raw: str, *, passed_raw: str | None = None, limit: int = 5) -> list[LineRange]:
    """Return up to `limit` line ranges of `raw`, most likely cause first."""
    return locate_root_cause(raw, passed_raw=passed_raw, limit=limit).ranges


def locate_root_cause(raw: str, *, passed_raw: str | None = None, limit: int = 5) -> RootCause:
    """Rank the root-cause ranges of `raw` and keep the clean window they point into."""
    window = _window(raw)
    return RootCause(_rank(window, passed_raw, limit), window.first_line + 1, window.lines)


def _rank(window: _Window, passed_raw: str | None, limit: int) -> list[LineRange]:
    if not window.lines:
        return []
    matches = _matches(window.lines)
    last_words = _last_words(window) if window.exit_line < len(window.lines) else None
    if last_words is not None:
        matches.setdefault(last_words, []).append(LAST_WORDS)
    on_success = _success_lines(passed_raw) if passed_raw else frozenset()
    scores = _scores(window, matches, on_success)
    return _ranges(window, matches, scores, limit)


def _window(raw: str) -> _Window:
    step = failing_step(raw)
    start = max(0, step.exit_start - WINDOW_BEFORE_EXIT)
    start = raw.rfind("\n", 0, start) + 1 if start else 0
    end = min(len(raw), step.exit_end + WINDOW_AFTER_EXIT)
    newline_after = raw.find("\n", end)
    end = len(raw) if newline_after == -1 else newline_after
    chunk = raw[start:end]
    if len(chunk) > MAX_WINDOW_CHARS:  # only a line of megabytes makes it this long
        chunk = "\n".join(line[:MAX_WINDOW_LINE_CHARS] for line in chunk.split("\n"))
    text = clean_text(chunk)
    lines = text.split("\n")
    first_line = raw.count("\n", 0, start)
    exit_line = raw.count("\n", start, step.exit_start) if step.has_exit_marker else len(lines)
    region_start = raw.count("\n", start, step.start) if step.start > start else 0
    return _Window(lines=lines, first_line=first_line, region_start=region_start, exit_line=exit_line)


def _matches(lines: list[str]) -> dict[int, list[Rule]]:
    """Rules matched per window line, run on the candidate lines nearest the end only."""
    found: dict[int, list[Rule]] = {}
    candidates, words = candidate_lines(lines, MAX_CANDIDATES)
    for index in candidates[-MAX_CANDIDATES:]:
        current = lines[index][:MAX_RULE_CHARS]
        matched = matching_rules(current, current.lower(), None if words is None else words.get(index, ()))
        if matched:
            found[index] = matched
    return found


def _success_lines(passed_raw: str) -> frozenset[str]:
    tail = passed_raw[-(WINDOW_BEFORE_EXIT * 4) :]
    return frozenset(normalise_line(line) for line in clean_text(tail).split("\n") if line.strip())


def _exit_distances(window: _Window) -> dict[int, int]:
    """For lines before the exit: how many non-blank lines separate them from it."""
    distances: dict[int, int] = {}
    distance = 0
    for index in range(min(window.exit_line, len(window.lines)) - 1, -1, -1):
        distances[index] = distance
        if window.lines[index].strip():
            distance += 1
    return distances


def _last_words(window: _Window) -> int | None:
    """The last meaningful line before the exit: what the failing command said last."""
    for index in range(min(window.exit_line, len(window.lines)) - 1, max(-1, window.exit_line - 30), -1):
        line = window.lines[index].strip()
        if line and not is_noise(line) and not line.startswith(("$ ", "+ ", "##[")):
            return index
    return None


def _scores(window: _Window, matches: dict[int, list[Rule]], on_success: frozenset[str]) -> dict[int, float]:
    distances = _exit_distances(window)
    scores: dict[int, float] = {}
    for index, rules in matches.items():
        line = window.lines[index]
        weights = sorted((rule.weight for rule in rules), reverse=True)
        score = weights[0] + 0.1 * sum(weights[1:3])
        if is_noise(line) and not any(rule.name in _NAMES_A_TEST for rule in rules):
            score *= 0.15
        if len(line) > 2000:  # minified code, base64 blobs, JSON dumps
            score *= 0.3
        if _ECHO_TRACE.match(line):
            score *= ECHO_TRACE_FACTOR
        if _VERDICT.match(line):  # every alternative starts with `^` (no re.M): `match` is `search`
            score *= VERDICT_FACTOR
        if all(rule.category is Category.UNKNOWN for rule in rules) and _COUNT_SUMMARY.search(line):
            score *= COUNT_SUMMARY_FACTOR
        if ("rying" in line or "will" in line) and _RETRIED.search(line):  # each match contains one
            score *= RETRIED_FACTOR
        if any(rule.name == "py_exception" for rule in rules) and _ends_traceback(window.lines, index):
            score *= TRACEBACK_END_BONUS
        distance = distances.get(index)
        if distance is None:
            score *= AFTER_EXIT_FACTOR
        else:
            # The last error block before the exit is the most likely cause.
            score *= PROXIMITY_FLOOR + PROXIMITY_GAIN * math.exp(-distance / PROXIMITY_LINES)
            if index < window.region_start:
                score *= 0.7
        if _under_banner(window.lines, index):
            score *= SECTION_START_BONUS  # the first report right under "=== FAILURES ==="
        if on_success and normalise_line(line) in on_success:
            score *= 0.1
        scores[index] = score
    _demote_restatements(window, scores)
    _demote_superseded_attempts(window, matches, scores)
    # When several tests fail, people read (and fix) the first report: the later ones
    # are often consequences of it.
    first_seen: dict[str, int] = {}
    for index in sorted(matches):
        for rule in matches[index]:
            if rule.block is Block.HEADER and rule.name not in first_seen and index in distances:
                first_seen[rule.name] = index
    for index in set(first_seen.values()):
        scores[index] *= FIRST_REPORT_BONUS
    return scores


def _ends_traceback(lines: list[str], index: int) -> bool:
    """Whether `index` is the exception line closing a Python traceback's innermost frame.

    Not inside a test runner's report (`____ test_x ____` or `FAIL: test_x (m.C)`, up to
    the next `====` banner): there the header names the failed test, and the traceback
    is the report's body.
    """
    for above in range(index - 1, max(-1, index - 5), -1):
        line = lines[above]
        if _FRAME.match(line):
            break
        if not line[:1].isspace():
            return False
    else:
        return False
    for above in range(index - 1, max(-1, index - REPORT_LOOKBACK), -1):
        line = lines[above]
        if line.startswith(("___", "===", "FAIL: ", "ERROR: ")) and _TEST_REPORT_SECTION.match(line):
            return line[0] == "="
    return True


def _under_banner(lines: list[str], index: int) -> bool:
    """Whether the line just above `index` (past one blank line) opens a failure section."""
    above = index - 1
    if above > 0 and not lines[above].strip():
        above -= 1
    return above >= 0 and bool(_SECTION_BANNER.match(lines[above]))


_MESSAGE = re.compile(
    r"^\s*(?:##\[error\]|[\w.]*(?:Error|Exception|FATAL|Fatal)\w*(?: error)?:?\s*|\[[\w-]+\] FATAL: )*(.{12,})$"
)


def _demote_restatements(window: _Window, scores: dict[int, float]) -> None:
    """Demote a strong line whose message already appeared on an earlier line.

    Wrappers re-raise or re-print the error they caught (`RuntimeError: test_x failed!`
    after `test_x failed!`, a runner hook repeating the step's error): the first
    statement is the one next to its real context.
    """
    strong = sorted((i for i, score in scores.items() if score >= 0.4), reverse=True)[:20]
    if not strong:
        return
    earliest = min(strong)
    before = "\n".join(window.lines[max(0, earliest - 2000) : max(strong)])
    for index in strong:
        line = window.lines[index]
        match = _MESSAGE.match(line[:300])
        # GitHub's own error annotation is the official statement, never a wrapper.
        if not match or line.startswith("##[error]"):
            continue
        message = match.group(1).strip()
        offset = before.find(message)
        line_of_offset = before.count("\n", 0, offset) + max(0, earliest - 2000) if offset != -1 else None
        # The very same line again is a retry failing the same way, not a wrapper.
        if (
            line_of_offset is not None
            and line_of_offset < index
            and window.lines[line_of_offset] != window.lines[index]
            and not _ECHO_TRACE.match(window.lines[line_of_offset])
        ):
            scores[index] *= RESTATEMENT_FACTOR


_TEST_ID_TAIL = re.compile(r"(\w{6,})(?:\[[^\]]*\])?\W*$")


def _demote_superseded_attempts(window: _Window, matches: dict[int, list[Rule]], scores: dict[int, float]) -> None:
    """Demote an attempt's report of a test that a rerun wrapper later gives its verdict on.

    Retry wrappers run a failing test again and end with a verdict ("FAILED CONSISTENTLY:
    x.py::T::test_y", "x failed after 3 attempts"): that verdict is the final word on
    the test, and each attempt's report of it above is one of the runs it sums up.
    """
    for index, rules in matches.items():
        if not any(rule.name == "rerun_verdict" for rule in rules):
            continue
        name = _TEST_ID_TAIL.search(window.lines[index].split(" failed")[0])
        if name is None:
            continue
        for earlier in range(max(0, index - 2000), index):
            if earlier in scores and scores[earlier] > scores[index] and name.group(1) in window.lines[earlier]:
                scores[earlier] *= RESTATEMENT_FACTOR


def _ranges(window: _Window, matches: dict[int, list[Rule]], scores: dict[int, float], limit: int) -> list[LineRange]:
    ranked = sorted(scores, key=lambda i: (scores[i], i), reverse=True)
    taken: set[int] = set()
    ranges: list[LineRange] = []
    top = scores[ranked[0]] if ranked else 0.0
    for index in ranked:
        if len(ranges) >= limit or scores[index] < 0.05:
            break
        if index in taken:
            continue
        rule = max(matches[index], key=lambda r: r.weight)
        start, end = report_block(window.lines, index, rule, matches)
        span = set(range(start, end + 1))
        if span & taken:
            start, end = index, index
            span = {index}
        taken |= span
        confidence = min(0.99, scores[index] / max(1.0, top)) if ranges else min(0.99, scores[index])
        anchor = index
        if _ANNOUNCER.search(window.lines[index]):
            anchor = _announced(window.lines, index)
        elif (
            _TAP_FAILURE.match(window.lines[index])
            and index + 2 < len(window.lines)
            and _TAP_DIAGNOSTIC.match(window.lines[index + 1])
        ):
            anchor = index + 2
        elif _LOCATOR.match(window.lines[index]) and index > 0 and window.lines[index - 1].strip():
            anchor, start = index - 1, min(start, index - 1)
            taken.add(anchor)
        end = max(end, anchor)
        ranges.append(
            LineRange(
                start=window.first_line + start + 1,
                end=window.first_line + end + 1,
                confidence=round(confidence, 3),
                rule=rule.name,
                anchor=window.first_line + anchor + 1,
            )
        )
    return ranges


# "rake aborted!", "* What went wrong:", mocha's "2 failing": the reason follows.
_ANNOUNCER = re.compile(
    r"^\s*(?:\w[\w -]* aborted!|\* What went wrong:|\d+ failing|Issues :-\(|"
    r"\* checking .+ \.\.\. ERROR|"  # R CMD check: the details follow the failed check
    r"Problem \d+)\s*$"  # Composer: the reasons follow
)
# TAP's "not ok N": when a YAML diagnostic block follows ("  ---"), it says why.
_TAP_FAILURE = re.compile(r"^not ok \d+")
_TAP_DIAGNOSTIC = re.compile(r"^\s+---\s*$")
# "At script.ps1:12 char:5" (PowerShell): the error message is the line above.
_LOCATOR = RULES_BY_NAME["powershell_error"].pattern


def _announced(lines: list[str], index: int) -> int:
    """The first non-blank line (of the next three) after an announcing line."""
    for following in range(index + 1, min(len(lines), index + 4)):
        if lines[following].strip():
            return following
    return index


__all__ = ["RULES_BY_NAME", "LineRange", "RootCause", "locate_root_cause", "normalise_line", "rank_root_cause"]
