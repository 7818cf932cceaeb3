"""Every admin page a maintainer reaches from the index: the text a person reads on a page, and
a crawl that follows the admin's links. Used by the crawler test (tests/crawl), by
`scripts/crawl_admin.py` and by `bench_admin` (page timings through gunicorn)."""

from __future__ import annotations

import http.client
import os
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


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


@dataclass
class CrawlResult:
    pages: dict[str, float] = field(default_factory=dict)  # url -> seconds
    problems: dict[str, list[str]] = field(default_factory=dict)


#: links the crawl does not follow: they change data, leave the admin, or are the same page sorted again
SKIP = re.compile(r"/(logout|delete|password|history)/|/add/|[?&](o|_popup|_to_field|e|p|_facets)=|/api/|/accounts/"
                  r"|/r/\d+/|\.(png|js|css|svg)$")


def crawl(client, *, start: str = "/admin/", limit: int = 400, per_list: int = 3,
          check: Callable[[str], list[str]] | None = None) -> CrawlResult:
    """Every admin page reachable from `start`: each list, its filters' first choices, and the
    first `per_list` change pages of each list. `client.get(url)` answers like Django's test
    client (`status_code`, `content`, headers by `get`); `check(text)` lists what is wrong
    with a page's text (the crawler test's findings)."""
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
        problems = check(text) if check else []
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


@dataclass
class Answer:
    """A page as the crawl reads it, from a real server."""

    status_code: int
    content: bytes
    headers: dict[str, str]

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)


class LoopbackClient:
    """GET requests to a server on 127.0.0.1 over one keep-alive connection, with the session
    cookie of a signed-in user, as a browser sends them (redirects are not followed)."""

    def __init__(self, port: int, cookies: dict[str, str]) -> None:
        self.port = port
        self.cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, url: str) -> Answer:
        headers = {"Cookie": self.cookie, "Accept": "text/html"}
        try:
            self.connection.request("GET", url, headers=headers)
            response = self.connection.getresponse()
        except (OSError, http.client.HTTPException):  # the server closed a kept-alive connection
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request("GET", url, headers=headers)
            response = self.connection.getresponse()
        body = response.read()
        return Answer(response.status, body, {name.lower(): value for name, value in response.getheaders()})

    def close(self) -> None:
        self.connection.close()


TARGET_MS = 300.0


def bench_admin_run(*, username: str = "demo", limit: int = 600, per_list: int = 2, repeat: int = 1,
                    processes: int = 2, threads: int = 4) -> dict:
    """Serve the configured database (`make demo`'s) with the production web server, sign in
    as `username`, crawl every admin page reachable from the index once (which warms the
    workers: templates compiled, connections open), then fetch each page `repeat` more times
    and time it. Besides latencies, which say as much about a shared machine as about the
    pages, the CPU the servers and PostgreSQL spent per page."""
    # imported here: the crawl above is plain Python, used by tests without a server
    from django.conf import settings
    from django.test import Client

    from benchmarks.api_load.cpu import CpuMeter
    from benchmarks.api_load.load import percentile
    from gitinsight.models import User
    from gitinsight.server.web_server import web_server_start, web_server_stop

    user = User.objects.get(username=username)
    signed_in = Client()
    signed_in.force_login(user)  # a session in the database, as the login form would make
    cookies = {settings.SESSION_COOKIE_NAME: signed_in.cookies[settings.SESSION_COOKIE_NAME].value}
    server = web_server_start(workers=processes, threads=threads, env={
        "DATABASE_URL": settings.DATABASE_URL, "DATABASE_OWNER_URL": settings.DATABASE_OWNER_URL})
    client = LoopbackClient(server.port, cookies)
    try:
        found = crawl(client, limit=limit, per_list=per_list)
        pages = [url for url in found.pages if not found.problems.get(url)]
        errors = {url: found.problems[url][0] for url in found.pages if found.problems.get(url)}
        meter = CpuMeter(server)
        meter.start()
        load_before = os.getloadavg()[0]
        timings: dict[str, list[float]] = {url: [] for url in pages}
        for _round in range(repeat):
            for url in pages:
                began = time.perf_counter()
                answer = client.get(url)
                timings[url].append(time.perf_counter() - began)
                if answer.status_code >= 400:
                    errors[url] = f"HTTP {answer.status_code}"
        meter.stop()
        cpu = meter.per_request_ms(len(pages) * repeat)
    finally:
        client.close()
        web_server_stop(server)
    every = [seconds for values in timings.values() for seconds in values]
    page_ms = {url: statistics.median(values) * 1000 for url, values in timings.items() if values}
    slowest = max(page_ms, key=page_ms.get, default="")
    return {
        "server": "gunicorn", "processes": processes, "threads": threads, "user": username,
        "pages": len(pages), "fetches": len(every),
        "p50_ms": round(statistics.median(every) * 1000, 1) if every else 0.0,
        "p95_ms": round(percentile(every, 0.95), 1),
        "max_ms": round(max(every, default=0.0) * 1000, 1),
        "slowest": {"url": slowest, "ms": round(page_ms[slowest], 1)} if slowest else {},
        "over_300ms": sum(1 for ms in page_ms.values() if ms > TARGET_MS),
        "over_300ms_pages": {url: round(ms, 1) for url, ms in sorted(page_ms.items(), key=lambda item: -item[1])
                             if ms > TARGET_MS},
        "cpu_ms_per_page": cpu,
        "errors": len(errors), "first_error": next((f"{url}: {error}" for url, error in errors.items()), ""),
        "load_average_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
