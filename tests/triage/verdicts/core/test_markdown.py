"""The check run a maintainer reads is in words: risk as a rounded percentage with its level and
reasons, duplicates with links and what they share, whose failure a failed check is, and a
verdict of "flaky" only at the public confidence ("possibly flaky", with the evidence, below)."""

import re

from triage.verdicts.core.facts import (
    CandidateFacts,
    EvidenceFacts,
    FailedCheckFacts,
    Gates,
    RiskFacts,
    RootCauseLine,
    VerdictFacts,
)
from triage.verdicts.core.markdown import author_comment, check_run_content

RISK = RiskFacts(probability=0.734, level="high", reasons=("it changes 14 files", "its author is new here",
                                                           "it touches the scheduler", "a fourth reason"))
MERGED_TWIN = CandidateFacts(number=3, title="Ignite [the] engine", url="https://github.com/acme/rocket/pull/3",
                             category="SAME_CHANGE", score=0.93, merged=True, state="closed",
                             shared={"production_paths": ("src/rocket/engine.py",), "symbols": ("ignite",)})


def flaky_check(confidence: float) -> FailedCheckFacts:
    return FailedCheckFacts(
        name="tests (3.12)", url="https://github.com/acme/rocket/runs/5", conclusion="failure", status="done",
        category="test_failure", attribution="flaky", confidence=confidence, analysis=1,
        evidence=(EvidenceFacts(kind="same_failure_elsewhere", detail="the same failure on 3 other commits"),),
        root_cause=(RootCauseLine(number=42, text="src/rocket/engine.py:17: AssertionError"),),
    )


def facts(**changes) -> VerdictFacts:
    return VerdictFacts(**{"number": 7, "head_sha": "a" * 40, "author": "ada", "risk": RISK,
                           "duplicates_pending": False, "candidates": (MERGED_TWIN,), **changes})


def test_the_summary_says_risk_duplicates_and_checks_in_words_without_codes():
    content = check_run_content(facts(checks=(flaky_check(0.9),)), Gates())
    summary = content.summary
    assert "**Commit risk: high (73 %).** It changes 14 files; its author is new here; it touches the scheduler." in (
        summary)
    assert "a fourth reason" not in summary  # the two or three that drove it
    assert ("The same change as [#3 Ignite \\[the\\] engine](https://github.com/acme/rocket/pull/3) (merged), "
            "93 % alike: both change `src/rocket/engine.py`; same symbols `ignite`.") in summary
    assert "Flaky, not caused by this pull request: the same failure on 3 other commits." in summary
    assert not re.search(r"SAME_CHANGE|test_failure|flaky_|broken_trunk|\{|0\.73", summary)
    assert content.status == "completed" and content.conclusion == "neutral"
    assert content.title == "High risk (73 %); same change as #3; 1 failed check, none new with this pull request"


def test_below_the_public_confidence_a_failure_is_only_possibly_flaky():
    summary = check_run_content(facts(checks=(flaky_check(0.6),)), Gates(public_confidence=0.8)).summary
    assert "Possibly flaky (the same failure on 3 other commits), but below the confidence GitInsight needs" in summary
    assert "treat it as this pull request's until a re-run passes" in summary
    assert "Flaky, not caused" not in summary


def test_a_root_cause_line_naming_a_changed_file_becomes_an_annotation_there():
    content = check_run_content(facts(checks=(flaky_check(0.9),), changed_paths=frozenset({"src/rocket/engine.py"})),
                                Gates())
    [annotation] = content.annotations
    assert (annotation["path"], annotation["start_line"], annotation["annotation_level"]) == (
        "src/rocket/engine.py", 17, "warning")
    assert "annotated on the changed file" in content.summary and content.text == ""


def test_a_root_cause_elsewhere_is_quoted_from_the_log():
    content = check_run_content(facts(checks=(flaky_check(0.9),)), Gates())
    assert content.annotations == ()
    assert "    42  src/rocket/engine.py:17: AssertionError" in content.text


def test_gates_turn_the_conclusion_to_failure_and_say_why():
    content = check_run_content(facts(), Gates(fail_at_risk="medium", fail_on_merged_duplicate=True))
    assert content.conclusion == "failure"
    assert ("GitInsight fails this check because its commit risk is high, and this repository fails pull requests "
            "at medium risk or above and it is the same change as #3, which is already merged") in content.summary


def test_it_stays_in_progress_while_a_part_is_pending():
    content = check_run_content(facts(risk=None, risk_pending=True, duplicates_pending=True, candidates=()), Gates())
    assert (content.status, content.conclusion, content.title) == ("in_progress", "", "Still analysing")
    assert "Still analysing the commit risk and duplicate and competing pull requests" in content.summary


def test_the_author_comment_mentions_them_for_what_is_theirs():
    new = FailedCheckFacts(name="lint", url="", conclusion="failure", status="done", category="lint_format",
                           attribution="new", confidence=0.7, root_cause=(RootCauseLine(3, "E501 line too long"),))
    text = author_comment(facts(checks=(new,)), Gates(), check_run_url="https://github.com/acme/rocket/runs/9")
    assert text.startswith("@ada, GitInsight's check on aaaaaaa found what needs you:")
    assert "- **lint** fails with lint or formatting, and nothing but this pull request explains it" in text
    assert "- It looks like the same change as #3, already merged." in text
