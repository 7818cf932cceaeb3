"""Triage's verdicts in words: duplicate categories, failure categories, who caused a failed
check and what to do next. Shared by both halves' admin pages, the report and the inbox."""

from __future__ import annotations

from gitinsight.presentation import words

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


def duplicate_words(category: str) -> str:
    return DUPLICATE_WORDS.get(category, words(category))


def failure_category_words(category: str) -> str:
    return FAILURE_CATEGORY_WORDS.get(category, words(category))


def attribution_words(attribution: str) -> str:
    return ATTRIBUTION_WORDS.get(attribution, words(attribution))


def action_words(action: str) -> str:
    return ACTION_WORDS.get(action, words(action))
