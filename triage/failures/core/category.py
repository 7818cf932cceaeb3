"""Failure category with confidence, from the ranked root cause and the failing step.

Each rule belongs to a category (`rules.Rule.category`); the top ranges vote with their
confidence, the first range counting most. Words naming a linter or type checker in the
excerpt (the command line usually shows it) add a vote, because a linter's output often
looks like a compiler's. A check run that GitHub itself reports as timed out or
cancelled is infrastructure whatever the log says.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from triage.failures.core.rootcause import LineRange
from triage.failures.core.rules import RULES_BY_NAME, Category

_RANK_WEIGHTS = (1.0, 0.5, 0.25)
_INFRASTRUCTURE_CONCLUSIONS = {"timed_out", "cancelled", "startup_failure", "stale"}
_TOOL_HINTS: tuple[tuple[re.Pattern[str], Category], ...] = (
    (
        re.compile(
            r"\b(?:lint|linter|flake8|ruff|pylint|eslint|tslint|stylelint|rubocop|prettier|black|isort|"
            r"clang-format|gofmt|goimports|golangci|shellcheck|codespell|checkstyle|ktlint|swiftlint|"
            r"markdownlint|yamllint|standard)\b",
            re.I,
        ),
        Category.LINT_FORMAT,
    ),
    (re.compile(r"\b(?:mypy|pyright|pytype|tsc|type-?check|typecheck|flow check|sorbet)\b", re.I), Category.TYPE_CHECK),
)


@dataclass(frozen=True)
class CategoryVerdict:
    category: Category
    confidence: float


def categorise(
    ranges: Sequence[LineRange], *, excerpt_text: str = "", conclusion: str | None = None
) -> CategoryVerdict:
    """Category of a failure whose ranked root cause is `ranges`.

    `excerpt_text` is the text around the root cause (tool names in it are hints);
    `conclusion` is the check run's conclusion when known (`timed_out`, `cancelled`...).
    """
    if conclusion in _INFRASTRUCTURE_CONCLUSIONS:
        return CategoryVerdict(Category.INFRASTRUCTURE, 0.95)
    votes: dict[Category, float] = defaultdict(float)
    for weight, line_range in zip(_RANK_WEIGHTS, ranges, strict=False):
        rule = RULES_BY_NAME.get(line_range.rule)
        category = rule.category if rule is not None else Category.UNKNOWN
        votes[category] += weight * max(line_range.confidence, 0.1)
    for pattern, category in _TOOL_HINTS:
        if pattern.search(excerpt_text):
            votes[category] += 0.4
    known = {category: vote for category, vote in votes.items() if category is not Category.UNKNOWN}
    if not known:
        return CategoryVerdict(Category.UNKNOWN, round(min(0.9, 0.3 + votes.get(Category.UNKNOWN, 0.0)), 3))
    best = max(known, key=known.__getitem__)
    share = known[best] / sum(votes.values())
    strength = min(1.0, known[best])
    return CategoryVerdict(best, round(min(0.99, share * (0.5 + 0.5 * strength)), 3))
