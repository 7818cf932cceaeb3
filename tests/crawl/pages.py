"""What a maintainer must never read on a page, and a crawl of every admin page reachable
from the index. Used by the crawler test and by `scripts/crawl_admin.py` (page timings)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

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


class _Text(HTMLParser):
    """The text a person reads: no scripts, styles, choices of a select or attribute values;
    quoted evidence (a log excerpt: `<pre class="triage-excerpt">`, or any `data-verbatim`
    element), code (`<code>`, `<pre>`: a symbol, a table or an event name as GitHub spells it)
    and an editable text area are shown as they are, so they are not read either."""

    SKIPPED = {"script", "style", "template", "noscript", "select", "textarea", "code", "pre"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self._stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag in self.VOID:
            return
        skip = (tag in self.SKIPPED or "data-verbatim" in attributes
                or "triage-excerpt" in (attributes.get("class") or ""))
        self._stack.append((tag, skip))

    def handle_endtag(self, tag):
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                return

    def handle_data(self, data):
        if not self._skipping():
            self.parts.append(data)


def page_text(html: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split()), parser.links


def findings(text: str) -> list[str]:
    found = []
    for name, pattern in FORBIDDEN:
        match = pattern.search(text)
        if match:
            start = max(0, match.start() - 60)
            found.append(f"{name}: …{text[start:match.end() + 60]}…")
    return found


@dataclass
class CrawlResult:
    pages: dict[str, float] = field(default_factory=dict)  # url -> seconds
    problems: dict[str, list[str]] = field(default_factory=dict)


#: links the crawl does not follow: they change data, leave the admin, or are the same page sorted again
SKIP = re.compile(r"/(logout|delete|password|history)/|/add/|[?&](o|_popup|_to_field|e|p|_facets)=|/api/|/accounts/"
                  r"|/r/\d+/|\.(png|js|css|svg)$")


def crawl(client, *, start: str = "/admin/", limit: int = 400, per_list: int = 3) -> CrawlResult:
    """Every admin page reachable from `start`: each list, its filters' first choices, and the
    first `per_list` change pages of each list."""
    result = CrawlResult()
    queue, seen = [start], {start}
    rows_taken: dict[str, int] = {}
    while queue and len(result.pages) < limit:
        url = queue.pop(0)
        began = time.perf_counter()
        response = client.get(url)
        result.pages[url] = time.perf_counter() - began
        if response.status_code >= 400:
            result.problems[url] = [f"HTTP {response.status_code}"]
            continue
        if response.status_code in (301, 302) or "html" not in response.get("Content-Type", ""):
            continue
        text, links = page_text(response.content.decode())
        problems = findings(text)
        if problems:
            result.problems[url] = problems
        for link in links:
            target = urljoin(url, link)
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith("/admin/") or SKIP.search(target):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen:
                continue
            # a change page (…/<model>/<id>/change/): only the first few of each list
            match = re.match(r"^(/admin/\w+/\w+/)[^/]+/change/$", parts.path)
            if match:
                if rows_taken.get(match.group(1), 0) >= per_list:
                    continue
                rows_taken[match.group(1)] = rows_taken.get(match.group(1), 0) + 1
            elif parts.query and not re.search(r"(^|&)(\w+__exact|\w+__id__exact|\w+)=", parts.query):
                continue
            if parts.query and parts.query.count("=") > 1:
                continue  # one filter at a time
            seen.add(target)
            queue.append(target)
    return result
