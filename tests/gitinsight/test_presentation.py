"""Codes read as words, and names that are code are marked as code."""

from gitinsight.presentation import code, code_list, event_words, percent


def test_a_webhook_delivery_reads_as_what_happened():
    assert event_words("pull_request", "opened") == "pull request opened"
    assert event_words("check_run", "completed") == "check run completed"
    assert event_words("issues", "opened") == "issue opened"
    assert event_words("pull_request_review", "submitted") == "pull request review submitted"
    assert event_words("push") == "push"


def test_names_that_are_code_are_quoted_as_code_and_escaped():
    assert code("commit_files") == "<code>commit_files</code>"
    assert code_list(["save_model", "<b>"]) == "<code>save_model</code>, <code>&lt;b&gt;</code>"
    assert code_list([]) == ""


def test_a_probability_short_of_certain_never_reads_as_100_or_0_percent():
    assert percent(0.5152) == "52 %"
    assert percent(0.9996) == "99.9 %"
    assert percent(0.995) == "99.5 %"
    assert percent(0.0004) == "0.1 %"
    assert percent(1.0) == "100 %" and percent(0.0) == "0 %"
