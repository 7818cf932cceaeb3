from triage.failures.core.category import categorise
from triage.failures.core.rootcause import LineRange
from triage.failures.core.rules import Category


def _range(rule: str, confidence: float = 0.9) -> LineRange:
    return LineRange(start=10, end=12, confidence=confidence, rule=rule, anchor=10)


def test_it_calls_a_compiler_error_a_build_failure():
    verdict = categorise([_range("cc_error")])
    assert verdict.category is Category.BUILD_COMPILE
    assert verdict.confidence > 0.5


def test_it_calls_a_flake8_report_lint():
    assert categorise([_range("flake8")]).category is Category.LINT_FORMAT


def test_it_takes_the_tool_named_in_the_excerpt_as_a_hint():
    verdict = categorise([_range("error_word", 0.3)], excerpt_text="$ npx eslint src\n  3:1  error  Missing semicolon")
    assert verdict.category is Category.LINT_FORMAT


def test_it_trusts_a_timed_out_conclusion_over_the_log():
    assert categorise([_range("pytest_failed")], conclusion="timed_out").category is Category.INFRASTRUCTURE


def test_it_says_unknown_when_only_vague_evidence_exists():
    verdict = categorise([_range("last_words_before_exit", 0.25)])
    assert verdict.category is Category.UNKNOWN
