"""The requests of bench_api and the clients that send them: `concurrency` threads, each
on one keep-alive connection, going round the endpoints for a time or a number of
requests, timing each response in full."""

from __future__ import annotations

import http.client
import itertools
import random
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from rest_framework.pagination import Cursor

from benchmarks.api_load.populate import ORGANIZATION, BenchData
from ingestion.api.views import NewestFirstCursor
from ingestion.models import CheckRun, Commit, Issue, PullRequest, Repository

API = "/api/v1"


@dataclass(frozen=True)
class Target:
    """One endpoint with its typical query; `paths` are alternatives picked at random
    (detail endpoints vary the id so that every request is not the same cached row)."""

    name: str
    paths: list[str]


def _deep_cursor(path: str, position: int) -> str:
    # Made by the view's own paginator, so the token is what a client following `next`
    # links that far would send.
    paginator = NewestFirstCursor()
    paginator.base_url = f"{API}/{path}"
    return paginator.encode_cursor(Cursor(offset=0, reverse=False, position=str(position)))


def _ids(queryset, k: int = 200) -> list[int]:
    return list(queryset.order_by("?").values_list("pk", flat=True)[:k])


def _deep_position(queryset, depth: float = 0.9) -> int:
    """The id that sits `depth` of the way down the newest-first list."""
    ids = queryset.order_by("pk").values_list("pk", flat=True)
    return ids[max(0, int(queryset.count() * (1 - depth)))]


def targets_for(data: BenchData) -> list[Target]:
    in_org = {"repository__organization_id": data.organization_id}
    commits, prs = Commit.objects.filter(**in_org), PullRequest.objects.filter(**in_org)
    checks, issues = CheckRun.objects.filter(**in_org), Issue.objects.filter(**in_org)
    biggest = data.repository_ids[0]
    some_pr = prs.filter(repository_id=biggest).order_by("-pk").values_list("pk", flat=True).first()

    def detail(path: str, queryset) -> Target:
        return Target(f"GET {path}/{{id}}", [f"{API}/{path}/{pk}" for pk in _ids(queryset)])

    def listing(path: str, label: str = "", **query) -> Target:
        suffix = f"?{urlencode(query)}" if query else ""
        return Target(f"GET {path}{label or suffix}", [f"{API}/{path}{suffix}"])

    return [
        listing("repositories"),
        listing("repositories", organization=ORGANIZATION, ordering="-stars"),
        detail("repositories", Repository.objects.filter(organization_id=data.organization_id)),
        listing("commits"),
        listing("commits", repository=biggest),
        listing("commits", author_login="dev07"),
        Target("GET commits?cursor=deep", [_deep_cursor("commits", _deep_position(commits))]),
        detail("commits", commits),
        listing("pull-requests"),
        listing("pull-requests", state="open"),
        listing("pull-requests", repository=biggest, state="merged"),
        Target("GET pull-requests?cursor=deep", [_deep_cursor("pull-requests", _deep_position(prs))]),
        detail("pull-requests", prs),
        listing("check-runs"),
        listing("check-runs", pull_request=some_pr),
        detail("check-runs", checks),
        listing("issues"),
        listing("issues", state="open"),
        detail("issues", issues),
    ]


@dataclass
class Timings:
    seconds: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    wall: float = 0.0
    first_error: str = ""


def _send(conn: http.client.HTTPConnection, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def load_drive(
    *, port: int, key: str, targets: list[Target], concurrency: int, duration: float | None, requests: int | None,
    warmup: bool = True, on_finish: Callable[[], None] | None = None,
) -> Timings:
    """Send requests from `concurrency` threads until `duration` seconds have passed or
    `requests` have been sent. With `warmup`, each client first sends every request
    once, unmeasured, so that server threads, database connections and caches exist.
    `on_finish` runs when every client is done, before they close their connections
    (and the servers their database connections)."""
    headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
    timings = Timings(seconds={t.name: [] for t in targets}, errors={t.name: 0 for t in targets})
    lock = threading.Lock()
    budget = itertools.count()
    deadline = [float("inf")]

    def client(number: int) -> None:
        rng = random.Random(number)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        if warmup:
            for target in targets:
                try:
                    _send(conn, target.paths[0], headers)
                except (OSError, http.client.HTTPException):  # counted when it recurs, measured
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        barrier.wait()
        # Clients start at different endpoints, so the mix is even at every moment.
        for turn in itertools.count(number):
            if time.perf_counter() >= deadline[0] or (requests is not None and next(budget) >= requests):
                break
            target = targets[turn % len(targets)]
            started = time.perf_counter()
            try:
                status, body = _send(conn, rng.choice(target.paths), headers)
                ok = status == 200
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status, body, ok = 0, str(exc).encode(), False
            elapsed = time.perf_counter() - started
            with lock:
                timings.seconds[target.name].append(elapsed)
                if not ok:
                    timings.errors[target.name] += 1
                    timings.first_error = timings.first_error or f"{target.name}: {status} {body[:200]!r}"
        finished.wait()
        conn.close()

    def start() -> None:
        timings.wall = time.perf_counter()
        deadline[0] = timings.wall + duration if duration is not None else float("inf")

    def finish() -> None:
        timings.wall = time.perf_counter() - timings.wall
        if on_finish:
            on_finish()

    barrier = threading.Barrier(concurrency, action=start)
    finished = threading.Barrier(concurrency, action=finish)
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of `values` (seconds) in milliseconds; 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] * 1000


def timings_summary(timings: Timings) -> dict:
    endpoints = {
        name: {
            "requests": len(seconds),
            "p50_ms": round(statistics.median(seconds) * 1000, 2) if seconds else 0.0,
            "p95_ms": round(percentile(seconds, 0.95), 2),
            "errors": timings.errors[name],
        }
        for name, seconds in timings.seconds.items()
    }
    every = [s for seconds in timings.seconds.values() for s in seconds]
    overall = {
        "requests": len(every),
        "requests_per_s": round(len(every) / timings.wall, 1) if timings.wall else 0.0,
        "p50_ms": round(statistics.median(every) * 1000, 2) if every else 0.0,
        "p95_ms": round(percentile(every, 0.95), 2),
        "worst_endpoint_p95_ms": max((e["p95_ms"] for e in endpoints.values()), default=0.0),
        "errors": sum(timings.errors.values()),
    }
    return {"endpoints": endpoints, "overall": overall, "first_error": timings.first_error}
