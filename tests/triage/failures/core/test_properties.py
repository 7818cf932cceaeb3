"""Bad input, tried systematically: CI logs are whatever a build printed (binary output,
NUL bytes, escape codes, megabyte lines, CRLF). Whatever the bytes, the analysis keeps its
invariants: one clean line per original line, ranges within the log, ranks sorted."""

import contextlib
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.triage.failures.core.test_rootcause import PYTEST_TRAVIS_LOG
from triage.failures.core.analysis import analyse_log
from triage.failures.core.excerpt import ExcerptFormatError, decompress_excerpt
from triage.failures.core.logs_zip import LogsArchiveError, read_logs_zip
from triage.failures.core.logtext import clean_line, clean_log, decode_log

fuzz = settings(max_examples=80, deadline=None)

log_lines = st.one_of(
    st.text(max_size=120),
    st.sampled_from([
        "\x1b[31mE   AssertionError: boom\x1b[0m", "2024-01-01T00:00:00.0000000Z ##[group]Run pytest", "\r", "\x00\x00",
        "##[error]Process completed with exit code 1.", 'The command "pytest" exited with 1.', "Traceback (most",
        "FAILED tests/test_x.py::test_y - KeyError", "error: cannot find symbol", "Downloading 10%\rDownloading 99%",
        "\x1b]0;title\x07", "\x1b[", "travis_fold:start:x\r", "=" * 30 + " FAILURES " + "=" * 30, "x" * 5000,
    ]),
)
log_bytes = st.one_of(
    st.binary(max_size=2000),
    st.lists(log_lines, max_size=60).map(lambda lines: "\n".join(lines).encode("utf-8", errors="surrogatepass")),
    st.lists(log_lines, max_size=60).map(lambda lines: "\r\n".join(lines).encode()),
    st.builds(lambda noise, at: PYTEST_TRAVIS_LOG.encode()[:at] + noise + PYTEST_TRAVIS_LOG.encode()[at:],
              st.binary(max_size=200), st.integers(min_value=0, max_value=len(PYTEST_TRAVIS_LOG))),
)


@fuzz
@given(data=log_bytes)
def test_decoded_logs_hold_no_nul_and_keep_their_lines(data):
    text = decode_log(data)
    assert "\x00" not in text
    assert text.count("\n") == data.count(b"\n")


@fuzz
@given(data=log_bytes)
def test_a_clean_log_has_one_line_per_original_line(data):
    text = decode_log(data)
    log = clean_log(text)
    assert log.text.count("\n") == text.count("\n")
    assert log.line_count <= text.count("\n") + 1
    assert all("\n" not in clean_line(line) for line in log.lines[:20])


@fuzz
@given(failed=log_bytes, passed=st.one_of(st.none(), log_bytes), conclusion=st.sampled_from([None, "failure",
                                                                                              "timed_out"]))
def test_the_analysis_of_any_log_points_into_the_log_with_ranks_in_order(failed, passed, conclusion):
    text = decode_log(failed)
    analysis = analyse_log(text, decode_log(passed) if passed is not None else None, conclusion=conclusion)
    line_count = text.count("\n") + 1
    confidences = [line_range.confidence for line_range in analysis.root_cause]
    assert confidences[1:] == sorted(confidences[1:], reverse=True)
    for line_range in analysis.root_cause:
        assert 1 <= line_range.start <= line_range.anchor <= line_range.end <= line_count
        assert 0.0 <= line_range.confidence <= 0.99
    excerpt = decompress_excerpt(analysis.excerpt)
    numbers = [line.number for line in excerpt.lines]
    assert numbers == sorted(set(numbers)) and all(1 <= n <= line_count for n in numbers)
    assert 0.0 <= analysis.category_confidence <= 1.0


@fuzz
@given(data=st.binary(max_size=300))
def test_any_stored_excerpt_bytes_read_back_or_raise_excerpt_format_error(data):
    with contextlib.suppress(ExcerptFormatError):
        decompress_excerpt(data)


@pytest.mark.parametrize("payload", [b"[]", b'{"format": 1}', b'{"format": 1, "lines": [[1]]}', b'{"format": 1, '
                                     b'"lines": [["x", 1, true]]}', b'"text"', b"\xff"])
def test_stored_excerpts_of_the_wrong_shape_raise_excerpt_format_error(payload):
    import zlib

    with pytest.raises(ExcerptFormatError):
        decompress_excerpt(zlib.compress(payload))


@fuzz
@given(names=st.lists(st.text(min_size=1, max_size=30), max_size=5, unique_by=lambda name: name.replace("\x00", "")),
       data=st.lists(st.binary(max_size=200), max_size=5))
def test_any_logs_archive_reads_into_jobs_or_raises_logs_archive_error(names, data):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in zip(names, data, strict=False):
            archive.writestr(name.replace("\x00", "") + ".txt", content)
    for job in read_logs_zip(buffer.getvalue()).values():
        assert "\x00" not in job.text
        assert [step.number for step in job.steps] == sorted(step.number for step in job.steps)


@fuzz
@given(data=st.binary(max_size=500))
def test_bytes_that_are_not_an_archive_raise_logs_archive_error(data):
    with contextlib.suppress(LogsArchiveError):
        read_logs_zip(data)
