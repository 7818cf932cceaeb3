"""A fingerprint says which failure a root cause is: every line of the range counts."""

import hashlib

from triage.failures.core.analysis import analyse_log
from triage.failures.core.fingerprint import failure_fingerprint
from triage.failures.core.rootcause import normalise_line

BROKEN_LINKS = ["> Links", "1. [L12] 301 https://github.com/a/CoreCharts → https://github.com/b/CoreCharts",
                "2. [L40] 301 https://github.com/a/Overdrive → https://github.com/b/Overdrive"]


def test_lines_below_the_opening_lines_tell_different_failures_apart():
    # The same two old redirects, then the link this change broke: another failure.
    old = failure_fingerprint([*BROKEN_LINKS, "3. [L77] 404 https://example.com/gone"])
    new = failure_fingerprint([*BROKEN_LINKS, "3. [L77] 404 https://example.com/renamed-page"])
    assert old != new


def test_the_same_long_failure_keeps_its_fingerprint_despite_volatile_details():
    one = failure_fingerprint([*BROKEN_LINKS, "3. [L77] 404 https://example.com/gone", "took 3.2s at 0x7f00aa"])
    two = failure_fingerprint([*BROKEN_LINKS, "3. [L81] 404 https://example.com/gone", "took 12.0s at 0x55bb01"])
    assert one == two


def test_a_short_range_keeps_the_fingerprint_it_had_with_three_lines():
    lines = ["tests/test_app.py:12: AssertionError", "", "E   assert 1 == 2"]
    first_three = "\n".join(normalise_line(line) for line in lines if line.strip())
    expected = hashlib.sha256(first_three.encode()).hexdigest()[:16]
    assert failure_fingerprint(lines) == expected


PARSE_ERROR = """\
$ npm run lint:pages
> tldr-lint pages
Error: Parse error on line {line}:
{detail}
--------------------^
The command "npm run lint:pages" exited with 1.
"""


def test_under_a_one_line_header_the_next_lines_say_which_failure_it_is():
    missing_dash = analyse_log(PARSE_ERROR.format(line=3, detail="`tar -cf archive.tar`"))
    again = analyse_log(PARSE_ERROR.format(line=9, detail="`tar -cf archive.tar`"))
    other = analyse_log(PARSE_ERROR.format(line=3, detail="- Extract a file: `tar -xf x.tar`"))

    assert missing_dash.root_cause[0].end - missing_dash.root_cause[0].anchor < 2
    assert missing_dash.fingerprint == again.fingerprint
    assert missing_dash.fingerprint != other.fingerprint
