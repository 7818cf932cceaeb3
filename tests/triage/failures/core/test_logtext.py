from triage.failures.core.logtext import clean_line, clean_log, clean_text


def test_it_strips_github_actions_timestamps_and_ansi_codes():
    raw = (
        "2024-01-01T00:00:00.0000000Z ##[group]Run pytest\n"
        "2024-01-01T00:00:01.1234567Z \x1b[31mFAILED\x1b[0m tests/test_app.py::test_login\n"
    )
    log = clean_log(raw)
    assert log.lines == ["##[group]Run pytest", "FAILED tests/test_app.py::test_login"]


def test_it_keeps_one_clean_line_per_original_line():
    raw = "travis_fold:start:install\r\x1b[0K$ pip install -r requirements.txt\nCollecting six\n\nDone\n"
    log = clean_log(raw)
    assert log.line_count == 4
    assert log.lines[0] == "$ pip install -r requirements.txt"
    assert log.lines[2] == ""


def test_it_keeps_what_a_progress_bar_finally_showed():
    raw = "Downloading 10%\rDownloading 55%\rDownloading 100%\nnext line\r\n"
    assert clean_text(raw).split("\n")[:2] == ["Downloading 100%", "next line"]


def test_it_removes_escape_codes_that_lost_their_escape_byte():
    assert clean_line("[1m[31mE   AssertionError: boom[0m") == "E   AssertionError: boom"
