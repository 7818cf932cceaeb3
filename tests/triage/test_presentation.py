"""Triage's stored records read in words: how the author was told, what a review found, and the
signals of a candidate pair."""

from tests.crawl.pages import findings, page_text
from triage.presentation import fix_details, review_details, signal_words


def read(html: str) -> str:
    return page_text(str(html))[0]


def test_a_fix_attempt_says_how_the_author_was_told():
    shown = fix_details({"channel": "check_run and comment", "comment_url": "https://github.com/o/r/pull/1#c"})

    assert shown["channel"] == "GitInsight's check run on the head and a comment"
    assert fix_details({"channel": "check_run"})["channel"] == "GitInsight's check run on the head"
    assert fix_details({"text": "Run ruff --fix"}) == {"text": "Run ruff --fix"}


def test_a_ci_review_names_each_failed_check_its_cause_who_caused_it_and_the_next_step():
    text = read(review_details({"analyses": [
        {"id": 4, "check_run": "lint", "category": "lint_format", "attribution": "new",
         "recommended_action": "notify_author"},
        {"id": 3, "check_run": "tests", "category": "dependency_install", "attribution": "broken_trunk",
         "recommended_action": "wait_for_trunk_fix"}]}))

    assert "lint or formatting" in text and "ask the author to fix it" in text
    assert "installing dependencies" in text and "already failing on the base branch" in text
    assert findings(text) == []


def test_a_risk_review_reads_as_a_percentage_a_level_and_reasons():
    text = read(review_details({"prediction_id": 7, "probability": 0.5152082440723025, "risk_level": "medium",
                                "top_features": [{"feature": "la", "value": 538.0, "contribution": 1.33}]}))

    assert "52 %" in text and "medium risk" in text and "Lines added: 538" in text
    assert findings(text) == []


def test_a_duplicate_review_names_the_kind_of_duplicate():
    assert "the same change" in read(review_details({"category": "SAME_CHANGE", "pull_request": 12}))


def test_the_signals_of_a_pair_read_as_words():
    assert signal_words("containment_a_in_b") == "share of this change inside the other"
    assert signal_words("brand_new_signal") == "brand new signal"
