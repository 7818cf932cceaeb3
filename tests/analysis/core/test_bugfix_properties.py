"""Bad input, tried systematically: commit messages and imported fix lists are text from
elsewhere. Detection never raises; a fix list reads or raises FixListError."""

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core.bugfix import FixDetector, FixListError, TrackerMapping, fix_list_read
from analysis.core.records import CommitRecord

fuzz = settings(max_examples=150, deadline=None)
messages = st.lists(
    st.one_of(st.text(max_size=40), st.sampled_from(["fixes #", "Fix ", "ZOOKEEPER-", "closes: #", "9" * 5000, "12",
                                                     "\x00", "\r\n", "\u0661"])),
    max_size=20,
).map("".join)


@fuzz
@given(message=messages)
def test_any_message_is_judged_without_raising(message):
    detector = FixDetector(tracker=TrackerMapping(r"\b(ZOOKEEPER-\d+)\b", {"ZOOKEEPER-12": 5}),
                           github_bug_numbers={12: 7})
    commit = CommitRecord(sha="abc", author="a", timestamp=0, message=message)
    assert detector.is_fix(commit) in (True, False)
    assert detector.bug_reported_at(commit) in (None, 5, 7)


@fuzz
@given(data=st.one_of(st.binary(max_size=300), st.lists(st.sampled_from([b"issue_key,commit_id\n", b"K-1,abc\n",
                                                                         b"K-2\n", b",\n", b"\x00", b"\xff", b'"']),
                                                        max_size=10).map(b"".join)))
def test_any_fix_list_file_reads_or_raises_fix_list_error(data):
    with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
        handle.write(data)
        handle.flush()
        try:
            fixes = fix_list_read(Path(handle.name))
        except FixListError:
            return
    assert all(isinstance(sha, str) for sha in fixes.shas)
