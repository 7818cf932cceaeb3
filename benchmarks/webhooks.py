"""bench_webhooks: signed deliveries (some replayed) from many threads against a real
server on loopback, then a check of the WebhookDelivery table for lost or duplicated
deliveries."""

from __future__ import annotations

import http.client
import json
import os
import random
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from django.db import connection

from benchmarks.api_load.cpu import CpuMeter
from benchmarks.api_load.database import database_url_for
from gitinsight.server.web_server import SERVER_NAME, WebServer, web_server_start, web_server_stop
from ingestion.core.webhook_signature import signature_for
from ingestion.models import WebhookDelivery

_EXAMPLES = Path(__file__).resolve().parents[1] / ".cache/octokit/webhooks-examples/api.github.com/index.json"


@dataclass(frozen=True)
class Sent:
    delivery_id: str
    status: int
    duplicate: bool
    seconds: float


@dataclass(frozen=True)
class BenchReport:
    server: str
    sent: int
    unique: int
    accepted_per_s: float
    p50_ms: float
    p99_ms: float
    lost: int
    duplicated: int
    errors: int
    # CPU time per delivery of the server processes and of their PostgreSQL backends (and of
    # the sending threads): unlike latencies, it does not grow with the neighbours' load.
    # Empty against a server given by --url.
    cpu_ms_per_request: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "server": self.server,
            "sent": self.sent,
            "unique": self.unique,
            "accepted_per_s": round(self.accepted_per_s, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
            "lost": self.lost,
            "duplicated": self.duplicated,
            "errors": self.errors,
            "cpu_ms_per_request": self.cpu_ms_per_request,
            # The benchmark shares the machine: its load says how much the figures can be trusted.
            "load_average_1m": round(os.getloadavg()[0], 2),
        }


def sample_payload() -> dict:
    """GitHub's own pull_request.opened example when the fixtures are fetched (about
    25 kB, like real deliveries), else a small payload of the same shape."""
    if _EXAMPLES.exists():
        for entry in json.loads(_EXAMPLES.read_text()):
            if entry["name"] == "pull_request":
                return next(p for p in entry["examples"] if p.get("action") == "opened")
    return {
        "action": "opened",
        "number": 1,
        "pull_request": {"id": 1, "number": 1, "state": "open", "title": "bench", "body": "x" * 4000},
        "repository": {"id": 1, "full_name": "bench/webhooks", "name": "webhooks"},
    }


def deliveries_plan(*, n: int, duplicate_ratio: float, prefix: str, seed: int = 7) -> list[str]:
    """`n` delivery ids in send order; a `duplicate_ratio` share replays an earlier id."""
    rng = random.Random(seed)
    unique = [f"{prefix}{index:06d}" for index in range(n - int(n * duplicate_ratio))]
    plan = list(unique)
    for _ in range(n - len(unique)):
        position = rng.randrange(1, len(plan) + 1)
        plan.insert(position, rng.choice(plan[:position]))
    return plan


def webhook_server_start(*, secret: str, queue: str, processes: int, threads: int) -> WebServer:
    """gunicorn with `processes` workers on loopback, enqueueing into `queue` (which no
    running worker takes), serving the database this process uses."""
    env = {"GITHUB_WEBHOOK_SECRET": secret, "Q_SYNC": "0", "Q_QUEUE": queue,
           "DATABASE_URL": database_url_for(connection.settings_dict["NAME"])}
    return web_server_start(workers=processes, threads=threads, env=env)


def send_all(*, url: str, plan: list[str], body: bytes, secret: str, concurrency: int) -> tuple[list[Sent], float]:
    """Send every planned delivery with `concurrency` threads, each on a keep-alive
    connection; return the results and the wall time."""
    parts = urlsplit(url)
    signature = signature_for(secret, body)
    local = threading.local()

    def send(delivery_id: str) -> Sent:
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        headers = {
            "Content-Type": "application/json",
            "X-GitHub-Event": "pull_request",
            "X-GitHub-Delivery": delivery_id,
            "X-Hub-Signature-256": signature,
        }
        started = time.perf_counter()
        try:
            local.conn.request("POST", parts.path, body=body, headers=headers)
            response = local.conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            local.conn.close()
            del local.conn
            return Sent(delivery_id, 0, False, time.perf_counter() - started)
        seconds = time.perf_counter() - started
        duplicate = response.status < 300 and json.loads(content).get("duplicate", False)
        return Sent(delivery_id, response.status, duplicate, seconds)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(send, plan))
    return results, time.perf_counter() - started


def report(*, plan: list[str], results: list[Sent], wall: float, prefix: str, server: str) -> BenchReport:
    unique = set(plan)
    accepted = [r for r in results if 200 <= r.status < 300]
    stored = set(WebhookDelivery.objects.filter(delivery_id__startswith=prefix).values_list("delivery_id", flat=True))
    acknowledged = {r.delivery_id for r in accepted}
    taken_as_new = [r.delivery_id for r in accepted if not r.duplicate]
    latencies = sorted(r.seconds * 1000 for r in results)
    return BenchReport(
        server=server,
        sent=len(plan),
        unique=len(unique),
        accepted_per_s=len(accepted) / wall,
        p50_ms=statistics.median(latencies),
        p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        lost=len(acknowledged - stored),
        duplicated=len(taken_as_new) - len(set(taken_as_new)),
        errors=len(results) - len(accepted),
    )


def bench_cleanup(*, prefix: str, queue: str) -> None:
    """Remove the benchmark's deliveries and the tasks it queued (on either broker)."""
    from django_q.brokers import get_broker

    WebhookDelivery.objects.filter(delivery_id__startswith=prefix).delete()
    get_broker(list_key=queue).delete_queue()
    connection.close()


def bench_run(
    *, n: int, concurrency: int, duplicate_ratio: float = 0.1, url: str | None = None, processes: int = 2,
    threads: int = 4,
) -> BenchReport:
    run = uuid.uuid4().hex[:8]
    prefix, queue, secret = f"bench-{run}-", f"bench-webhooks-{run}", f"bench-secret-{run}"
    if url:
        from django.conf import settings

        secret = settings.GITHUB_WEBHOOK_SECRET
    body = json.dumps(sample_payload()).encode()
    plan = deliveries_plan(n=n, duplicate_ratio=duplicate_ratio, prefix=prefix)
    server: WebServer | None = None
    try:
        if url is None:
            server = webhook_server_start(secret=secret, queue=queue, processes=processes, threads=threads)
            url = f"{server.url}/webhooks/github"
        meter = CpuMeter(server) if server is not None else None
        if meter is not None:
            meter.start()
        results, wall = send_all(url=url, plan=plan, body=body, secret=secret, concurrency=concurrency)
        if meter is not None:
            meter.stop()  # while the servers' database connections are open
        result = report(plan=plan, results=results, wall=wall, prefix=prefix,
                        server=SERVER_NAME if server else "given by --url")
        return replace(result, cpu_ms_per_request=meter.per_request_ms(len(plan))) if meter is not None else result
    finally:
        if server is not None:
            web_server_stop(server)
        bench_cleanup(prefix=prefix, queue=queue)
