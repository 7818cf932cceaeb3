"""Single rules of `triage.failures.core.rules`: what each one recognises, and what it leaves alone."""

from triage.failures.core.rules import RULES_BY_NAME


def _matches(rule_name: str, line: str) -> bool:
    rule = RULES_BY_NAME[rule_name]
    return bool(rule.pattern.search(line.lower() if rule.on_lower else line))


def test_pytests_short_summary_line_is_recognised_with_or_without_a_duration_in_front():
    assert _matches("pytest_failed", "FAILED tests/test_app.py::test_login - AssertionError: assert False")
    assert _matches("pytest_failed", "FAILED [310.0221s] distributed/test_spawn.py::TestNN::test_all_gather")
    assert _matches("pytest_failed", "ERROR tests/test_db.py::test_connect")
    assert not _matches("pytest_failed", "FAILED (failures=2)")


def test_a_short_summary_line_with_the_reason_is_its_own_stronger_rule():
    rule = RULES_BY_NAME["pytest_failed_reason"]
    assert rule.weight > RULES_BY_NAME["pytest_failed"].weight
    assert _matches(
        "pytest_failed_reason", "FAILED [0.38s] a/test_x.py::T::test_y - NameError: name 'z' is not defined"
    )
    assert _matches("pytest_failed_reason", "ERROR tests/test_db.py::test_connect - OSError: connection refused")
    assert not _matches("pytest_failed_reason", "FAILED tests/test_db.py::test_connect")


def test_a_rerun_wrappers_verdict_names_one_test_that_failed_on_every_attempt():
    assert _matches("rerun_verdict", "FAILED CONSISTENTLY: test/dynamo/test_repro.py::ReproTests::test_vars")
    assert _matches("rerun_verdict", "tests/test_net.py::test_fetch failed after 3 attempts")
    # Prose around the verdict and a list of tests are not one test's verdict.
    assert not _matches("rerun_verdict", "Test failed consistently, continuing with the rest of the tests")
    assert not _matches("rerun_verdict", "The following tests failed consistently: ['a.py::t1', 'b.py::t2']")


def test_common_test_names_the_module_where_the_case_failed_suite_or_helper():
    assert _matches("ct_case_failed", "inet_SUITE:t_gethostnative failed on line 696")
    assert _matches("ct_case_failed", "rabbit_ct_broker_helpers:rpc failed on line 1348")
    assert _matches("ct_case_failed", "cpu_sup_SUITE:util_api failed")
    assert not _matches("ct_case_failed", "Build failed on line 3 of the report")


def test_php_run_tests_failure_names_the_phpt_file():
    assert _matches("phpt_fail", "FAIL Bug #60120 (proc_open hangs) [ext/standard/tests/file/bug60120.phpt] ")
    assert not _matches("phpt_fail", "FAIL  test/app.test.js")


def test_tap_failures_but_not_expected_failures():
    assert _matches("tap_not_ok", "not ok 13 - snapshot certain objects")
    assert not _matches("tap_not_ok", "not ok 4 - parses dates # TODO not implemented yet")
    assert not _matches("tap_not_ok", "ok 5 not ok-ish name")


def test_proves_dubious_verdict_is_weaker_than_a_perl_die_message():
    assert _matches("prove_dubious", "t/https.t ........ Dubious, test returned 11 (wstat 2816, 0xb00)")
    assert RULES_BY_NAME["prove_dubious"].weight < RULES_BY_NAME["perl_die"].weight


def test_markdownlint_output_with_or_without_a_colon_after_the_line_number():
    assert _matches("markdownlint", "README.md:12 MD009/no-trailing-spaces Trailing spaces")
    assert _matches("markdownlint", "react/README.md: 29: MD012/no-multiple-blanks Multiple consecutive blank lines")


def test_a_heavy_cross_mark_is_a_failure_but_eslints_problem_count_is_not():
    assert _matches("cross_mark_failure", "✖ Variable $bd-warning is not being used!")
    assert not _matches("cross_mark_failure", "✖ 3 problems (3 errors, 0 warnings)")


def test_a_parse_error_needs_its_position_in_the_document():
    assert _matches(
        "parse_error",
        "(./a.md): found character that cannot start any token while scanning for the next token at line 8 column 1",
    )
    assert _matches("parse_error", "parse error: Invalid numeric literal at line 1, column 10")
    assert not _matches("parse_error", "while parsing arguments")
