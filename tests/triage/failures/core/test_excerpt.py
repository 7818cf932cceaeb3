import io
import zipfile

import pytest

from triage.failures.core.analysis import analyse_log
from triage.failures.core.excerpt import ExcerptFormatError, build_excerpt, compress_excerpt, decompress_excerpt
from triage.failures.core.logs_zip import LogsArchiveError, read_logs_zip
from triage.failures.core.rootcause import LineRange
from triage.failures.core.rules import RULES_VERSION, Category


def test_the_excerpt_keeps_the_root_cause_with_context_and_round_trips():
    lines = [f"line {n}" for n in range(1, 101)]
    ranges = [LineRange(start=50, end=51, confidence=0.9, rule="cc_error", anchor=50)]
    excerpt = build_excerpt(lambda n: lines[n - 1] if 1 <= n <= 100 else None, ranges, context=2)
    assert [line.number for line in excerpt.lines] == [48, 49, 50, 51, 52, 53]
    assert excerpt.highlighted_numbers == [50, 51]
    stored = compress_excerpt(excerpt)
    assert decompress_excerpt(stored) == excerpt


def test_it_rejects_bytes_that_are_not_an_excerpt():
    with pytest.raises(ExcerptFormatError):
        decompress_excerpt(b"not zlib")


def test_analyse_log_gives_everything_in_one_call():
    log = (
        "2024-05-01T10:00:00.0000000Z ##[group]Run mypy src\n"
        "2024-05-01T10:00:03.0000000Z src/app/models.py:41: error: Incompatible return value type\n"
        "2024-05-01T10:00:03.1000000Z Found 1 error in 1 file (checked 40 source files)\n"
        "2024-05-01T10:00:03.2000000Z ##[error]Process completed with exit code 1.\n"
    )
    analysis = analyse_log(log)
    assert analysis.root_cause[0].anchor == 2
    assert analysis.category is Category.TYPE_CHECK
    assert len(analysis.fingerprint) == 16
    assert "Incompatible return value type" in analysis.excerpt_text
    assert decompress_excerpt(analysis.excerpt).highlighted_numbers[0] <= 2
    assert analysis.rules_version == RULES_VERSION


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_it_reads_a_github_actions_logs_archive_per_job_and_step():
    data = _zip(
        {
            "0_build (ubuntu).txt": "whole job log\n",
            "build (ubuntu)/2_Run tests.txt": "E   AssertionError\n",
            "build (ubuntu)/1_Set up job.txt": "Current runner version\n",
            "lint/1_Run ruff.txt": "src/a.py:1:1: F401 unused import\n",
        }
    )
    jobs = read_logs_zip(data)
    assert set(jobs) == {"build (ubuntu)", "lint"}
    build = jobs["build (ubuntu)"]
    assert [(s.number, s.name) for s in build.steps] == [(1, "Set up job"), (2, "Run tests")]
    assert build.text == "whole job log\n"
    assert jobs["lint"].text == "src/a.py:1:1: F401 unused import"


def test_it_refuses_bytes_that_are_not_a_zip():
    with pytest.raises(LogsArchiveError):
        read_logs_zip(b"<html>rate limited</html>")
