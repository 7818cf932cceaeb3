"""What to do about a failed check: the recommended action and a suggested fix text.

Re-running is only ever recommended when the failure is FLAKY or the category is
infrastructure: re-running a real failure wastes runner time and hides the bug.
Whether a recommended rerun actually happens is gated elsewhere (off by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from triage.failures.core.attribution import Attribution
from triage.failures.core.rules import Category


class Action(StrEnum):
    RERUN_FAILED_JOBS = "rerun_failed_jobs"
    NOTIFY_AUTHOR = "notify_author"
    WAIT_FOR_TRUNK_FIX = "wait_for_trunk_fix"
    IGNORE_UNSTABLE = "ignore_unstable"


@dataclass(frozen=True)
class Recommendation:
    action: Action
    rerun_allowed: bool
    suggested_fix: str


_FIX_TEXT: dict[Category, str] = {
    Category.TEST_FAILURE: "A test fails: run it locally with the change and fix the code or the expectation.",
    Category.LINT_FORMAT: "Lint or formatting: run the project's formatter/linter locally and commit the result.",
    Category.TYPE_CHECK: "Type errors: run the type checker locally and fix the annotated lines.",
    Category.BUILD_COMPILE: "The build does not compile: fix the reported file and line, then build locally.",
    Category.DEPENDENCY_INSTALL: (
        "Dependencies could not be installed: check the version constraints and lock file changed in this PR."
    ),
    Category.INFRASTRUCTURE: "The runner or network failed, not the code: re-run the failed jobs.",
    Category.UNKNOWN: "Read the highlighted lines of the log; no known failure pattern matched.",
}


def recommend_action(*, category: Category, attribution: Attribution) -> Recommendation:
    """Recommended action for a failure of `category` attributed to `attribution`."""
    if attribution is Attribution.UNSTABLE:
        return Recommendation(
            Action.IGNORE_UNSTABLE, False, "This job is marked unstable by an open issue; it does not block the PR."
        )
    if attribution is Attribution.BROKEN_TRUNK:
        return Recommendation(
            Action.WAIT_FOR_TRUNK_FIX,
            False,
            "The base branch fails the same way: rebase once it is fixed there; this PR did not cause it.",
        )
    if attribution is Attribution.FLAKY:
        return Recommendation(Action.RERUN_FAILED_JOBS, True, "This failure is flaky: re-run the failed jobs.")
    if category is Category.INFRASTRUCTURE:
        return Recommendation(Action.RERUN_FAILED_JOBS, True, _FIX_TEXT[category])
    return Recommendation(Action.NOTIFY_AUTHOR, False, _FIX_TEXT[category])
