"""A count with its noun agreeing, for sentences built anywhere, the framework-free cores
included (Django's ngettext and pluralize are for the pages and messages around them)."""

from __future__ import annotations


def counted(count: float, one: str, many: str) -> str:
    """counted(1, "line", "lines") -> "1 line"; counted(2001, ...) -> "2,001 lines"."""
    value = round(count)
    return f"{value:,} {one if value == 1 else many}"
