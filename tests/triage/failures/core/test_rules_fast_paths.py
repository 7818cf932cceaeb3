"""The fast paths of the rules give exactly what running every rule on every line gives.

`rule_matcher.matching_rules`, `rule_matcher.is_noise` and the candidate search in `candidate_lines` split the
patterns and pre-check lines with hand-written literal tables. A rule changed without its
table would silently stop matching; these tests compare them with the plain definitions
on generated lines made of the rules' own words, and on real logs when they are here.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.failures.root_causes import load_marked
from tests.shared_data import CI_DATA, logchunks
from triage.failures.core.candidate_lines import candidate_lines
from triage.failures.core.logtext import decode_log
from triage.failures.core.prefilters import NOISE, PREFILTER_SHAPES, PREFILTER_WORDS
from triage.failures.core.rootcause import locate_root_cause
from triage.failures.core.rule_matcher import is_noise, matching_rules
from triage.failures.core.rules import RULES

# Words and punctuation taken from the rules themselves, so generated lines hit many of them.
_LITERALS = sorted({
    literal
    for pattern in [rule.pattern.pattern for rule in RULES] + [NOISE.pattern, PREFILTER_SHAPES.pattern]
    for literal in re.findall(r"[A-Za-z][A-Za-z ':!*_.-]{2,}", pattern)
} | set(PREFILTER_WORDS) | {word for rule in RULES for word in rule.needs})
_PIECES = st.sampled_from(_LITERALS) | st.sampled_from(
    [" ", "  ", "\t", ":", ": ", ":12:", ":3:7: ", "(12): ", "1) ", "2 ", "==== ", "____ ", "##[error]", "[", "]",
     "/src/app.py", ".py:4: ", "0", "42", "x", "E", "- ", "* ", "!", "-->", "FAILED", "Error", "error",
     "main.c:3:1", "src/Foo.java:[12,5] ", " error: ", "warning: ", " failed", " FAILED ", "<<< FAILURE!",
     '  File "x.py", line 3', "Traceback (most recent call last):", "npm ERR! ", "E   ", "fatal: ", "--- FAIL: ",
     "not ok 3 ", " char:4", "At ", " (original)", "would reformat ", "[-] ", "Exception", "exited with 1"]
) | st.text(max_size=3)


def _line(pieces: list[str], upper: bool) -> str:
    line = "".join(pieces).replace("\n", " ").replace("\r", " ")
    return line.upper() if upper else line


lines = st.builds(_line, st.lists(_PIECES, max_size=8), st.booleans())


def every_rule(line: str) -> list:
    lower = line.lower()
    return [
        rule for rule in RULES
        if (not rule.needs or any(word in lower for word in rule.needs))
        and rule.pattern.search(lower if rule.on_lower else line)
    ]


def plaincandidate_lines(text_lines: list[str]) -> list[int]:
    return [
        index for index, line in enumerate(text_lines)
        if any(word in line.lower() for word in PREFILTER_WORDS) or PREFILTER_SHAPES.search(line.lower())
    ]


def assert_fast_paths_agree(line: str) -> None:
    lower = line.lower()
    words = [word for word in PREFILTER_WORDS if word in lower]
    expected = every_rule(line)
    assert matching_rules(line, lower) == expected, line
    assert matching_rules(line, lower, words) == expected, line
    assert is_noise(line) == bool(NOISE.search(line)), line


@settings(max_examples=400, deadline=None)
@given(lines)
def test_matching_rules_and_is_noise_agree_with_running_every_pattern(line):
    assert_fast_paths_agree(line)


@settings(max_examples=100, deadline=None)
@given(st.lists(lines, max_size=60), st.integers(min_value=1, max_value=20))
def test_the_backward_candidate_search_finds_the_lines_a_line_by_line_search_finds(text_lines, limit):
    expected = plaincandidate_lines(text_lines)

    assert candidate_lines(text_lines)[0] == expected
    assert candidate_lines(text_lines, limit)[0][-limit:] == expected[-limit:]


@pytest.mark.slow
def test_the_fast_paths_agree_on_every_line_of_the_real_pytorch_logs():
    folder = CI_DATA / "pytorch-log-fixtures" / "classify"
    if not folder.is_dir():
        pytest.skip(f"shared CI data not found at {folder}")
    for case in load_marked(folder):
        text_lines = case.text.split("\n")
        for line in text_lines:
            assert_fast_paths_agree(line[:500])
        assert candidate_lines(text_lines)[0] == plaincandidate_lines(text_lines)


@pytest.mark.slow
def test_the_fast_paths_agree_on_the_analysed_lines_of_every_logchunks_log():
    _, logs = logchunks()
    paths = sorted(logs.glob("*/*/failed/*.log"))
    assert len(paths) >= 780
    analysed: set[str] = set()
    for number, path in enumerate(paths):
        window = locate_root_cause(decode_log(path.read_bytes())).lines
        analysed.update(line[:500] for line in window)
        if number % 10 == 0:
            assert candidate_lines(window)[0] == plaincandidate_lines(window), path
    distinct = sorted(analysed)
    for index in plaincandidate_lines(distinct):
        assert_fast_paths_agree(distinct[index])
