"""Triage's verdicts in words: duplicate categories, failure categories, who caused a failed
check and what to do next. Shared by both halves' admin pages, the report and the inbox."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.safestring import SafeString

from analysis.presentation import level_words, reasons_list
from gitinsight.presentation import percent, readable, words

DUPLICATE_WORDS = {
    "SAME_CHANGE": "the same change",
    "SAME_FEATURE": "the same feature",
    "COMPETING_IMPLEMENTATION": "a competing implementation",
    "RELATED": "related",
    "NOT_RELATED": "not related",
    "UNCERTAIN": "possibly related",
}
FAILURE_CATEGORY_WORDS = {
    "test_failure": "a failing test",
    "lint_format": "lint or formatting",
    "type_check": "a type check",
    "build_compile": "the build",
    "dependency_install": "installing dependencies",
    "infrastructure": "the CI infrastructure",
    "unknown": "an unknown cause",
}
ATTRIBUTION_WORDS = {
    "new": "caused by this change",
    "flaky": "flaky: it failed the same way on unrelated commits",
    "broken_trunk": "already failing on the base branch",
    "unstable": "a job known to be unstable",
    "unknown": "not decided",
}
ACTION_WORDS = {
    "rerun_failed_jobs": "re-run the failed jobs",
    "notify_author": "ask the author to fix it",
    "wait_for_trunk_fix": "wait for the base branch to be fixed",
    "ignore_unstable": "ignore it: the job is known to be unstable",
    "suggest_fix": "suggest a fix",
}

#: the similarity signals of a candidate pair, as a maintainer reads them
SIGNAL_WORDS = {
    "paths": "shared paths",
    "title": "similar titles",
    "symbols": "shared symbols",
    "prod_paths": "shared production paths",
    "prod_share": "share of production files in common",
    "code_jaccard": "code in common",
    "max_shingles": "size of the larger change (code fragments)",
    "min_shingles": "size of the smaller change (code fragments)",
    "prod_jaccard": "production code in common",
    "prod_simhash": "production code similarity",
    "canonical_equal": "same code once normalised",
    "production_equal": "same production code",
    "containment_a_in_b": "share of this change inside the other",
    "containment_b_in_a": "share of the other change inside this one",
    "same_change_probability": "chance of the same change",
}

#: how a fix attempt reached the author (`FixAttempt.details["channel"]`)
CHANNEL_WORDS = {
    "check_run": "GitInsight's check run on the head",
    "check_run and comment": "GitInsight's check run on the head and a comment",
}


def fix_details(details: Mapping[str, Any]) -> dict[str, Any]:
    """A fix attempt's record with its channel in words; the rest is shown as it is."""
    shown = dict(details)
    if "channel" in shown:
        shown["channel"] = CHANNEL_WORDS.get(shown["channel"], words(shown["channel"]))
    return shown


def signal_words(signal: str) -> str:
    return SIGNAL_WORDS.get(signal, words(signal))


def duplicate_words(category: str) -> str:
    return DUPLICATE_WORDS.get(category, words(category))


def failure_category_words(category: str) -> str:
    return FAILURE_CATEGORY_WORDS.get(category, words(category))


def attribution_words(attribution: str) -> str:
    return ATTRIBUTION_WORDS.get(attribution, words(attribution))


def action_words(action: str) -> str:
    return ACTION_WORDS.get(action, words(action))


def review_details(details: Mapping[str, Any]) -> str | SafeString:
    """A pull request review's stored record in words: the failed checks with their cause,
    who caused them and the next step; a duplicate's kind; the risk as a percentage with its
    reasons."""
    shown = dict(details)
    if isinstance(shown.get("analyses"), list):
        shown["analyses"] = [
            {"check": row.get("check_run"), "failed on": failure_category_words(row.get("category")),
             "whose failure": attribution_words(row.get("attribution")),
             "next step": action_words(row.get("recommended_action"))}
            for row in shown["analyses"]]
    if "category" in shown:
        shown["category"] = duplicate_words(shown["category"])
    if "risk_level" in shown:
        shown["risk_level"] = level_words(shown["risk_level"])
    if isinstance(shown.get("probability"), float):
        shown["probability"] = percent(shown["probability"])
    if isinstance(shown.get("top_features"), list):
        shown["top_features"] = reasons_list(shown["top_features"])
    return readable(shown)
