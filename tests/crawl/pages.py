"""What a maintainer must never read on a page, and the crawl of every admin page reachable
from the index (benchmarks.admin_pages) that reports it. Used by the crawler test and by
`scripts/crawl_admin.py`."""

from __future__ import annotations

import re

from benchmarks import admin_pages
from benchmarks.admin_pages import CrawlResult, page_text

__all__ = ["FORBIDDEN", "CrawlResult", "crawl", "findings", "page_text"]

#: (name, pattern) of what a person should never read
FORBIDDEN = [
    ("JSON", re.compile(r'[\[{]\s*"[A-Za-z_]+"\s*:|\{\s*\}|\[\s*\{')),
    ("Python repr", re.compile(r"\[\s*'[^']*'\s*[,\]]|\{\s*'[A-Za-z_]+'\s*:|<[A-Za-z_.]+ object at 0x|\bQuerySet\b|"
                               r"\b(?:Decimal|datetime\.datetime)\(")),
    ("float with five or more decimals", re.compile(r"(?<![\w.])-?\d+\.\d{5,}(?![\w.])")),
    ("SHOUTING_CASE enum value", re.compile(r"(?<![\w#/.-])[A-Z]{2,}(?:_[A-Z0-9]+)+(?![\w-])")),
    # a lower_snake_case code (`ci_review`, `pull_request`); a path (`src/a_b.py`) or a
    # repository (`octo_org/a_b`) touches a slash or a dot, and code is quoted in <code>
    ("lower_snake_case code", re.compile(r"(?<![\w#/.@:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@-]|\.\w)")),
    ("bare None", re.compile(r"(?<![\w-])None(?![\w-])")),
    ("design-document reference", re.compile(r"\bseeds?\s*0\d\d\b|\bseed documents?\b", re.IGNORECASE)),
    ("null", re.compile(r"(?<![\w-])null(?![\w-])")),
]


def findings(text: str) -> list[str]:
    found = []
    for name, pattern in FORBIDDEN:
        match = pattern.search(text)
        if match:
            start = max(0, match.start() - 60)
            found.append(f"{name}: …{text[start:match.end() + 60]}…")
    return found


def crawl(client, *, start: str = "/admin/", limit: int = 400, per_list: int = 3) -> CrawlResult:
    """The admin crawl, each page's text checked for what a person should never read."""
    return admin_pages.crawl(client, start=start, limit=limit, per_list=per_list, check=findings)
