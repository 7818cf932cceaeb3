"""bench_api from start to end: data, API key, servers, clients, summary."""

from __future__ import annotations

import os
import time
from dataclasses import asdict

from benchmarks.api_load.cpu import CpuMeter
from benchmarks.api_load.database import bench_database
from benchmarks.api_load.load import load_drive, targets_for, timings_summary
from benchmarks.api_load.populate import USERNAME, bench_data_ensure
from gitinsight.models import ApiKey, User
from gitinsight.server.web_server import SERVER_NAME, web_server_start, web_server_stop
from gitinsight.services.api_keys import api_key_create

TARGET_P95_MS = 50.0
# High enough that no benchmark run is throttled; the limit is still counted per request.
RATE_LIMIT = 100_000_000


def bench_api_run(
    *, database: str, commits: int, pull_requests: int, concurrency: int = 8, duration: float | None = 10.0,
    requests: int | None = None, processes: int = 2, threads: int = 4, fresh: bool = False,
) -> dict:
    """Populate (or reuse) database `database`, serve it with the production web server
    (`processes` workers of `threads` threads) and time every endpoint with `concurrency`
    clients; the summary as a dict."""
    with bench_database(database) as url:
        started = time.perf_counter()
        data = bench_data_ensure(commits=commits, pull_requests=pull_requests, fresh=fresh)
        populate_seconds = time.perf_counter() - started
        targets = targets_for(data)
        user = User.objects.get(username=USERNAME)
        ApiKey.objects.filter(user=user).delete()  # keys of earlier runs
        created = api_key_create(user=user, name="bench_api", permissions=["read"])
        # The benchmark's own database and servers: its key, and their ceiling, are far above any
        # limit a tenant may choose (API_KEY_MAX_RATE_LIMIT).
        ApiKey.objects.filter(pk=created.api_key.pk).update(rate_limit=RATE_LIMIT)
        key = created.plaintext
        server = web_server_start(workers=processes, threads=threads,
                                  env={"DATABASE_URL": url, "API_KEY_MAX_RATE_LIMIT": str(RATE_LIMIT)})
        try:
            meter = CpuMeter(server)
            meter.start()
            timings = load_drive(
                port=server.port, key=key, targets=targets, concurrency=concurrency, duration=duration,
                requests=requests, on_finish=meter.stop,
            )
            # Warm-up requests (each client sends every request once) used CPU too.
            cpu = meter.per_request_ms(sum(len(s) for s in timings.seconds.values()) + concurrency * len(targets))
        finally:
            web_server_stop(server)
    summary = timings_summary(timings)
    overall = summary["overall"]
    overall["cpu_ms_per_request"] = cpu
    overall["load_average_1m"] = round(os.getloadavg()[0], 2)
    overall["target_p95_ms"] = TARGET_P95_MS
    overall["met"] = overall["worst_endpoint_p95_ms"] <= TARGET_P95_MS and overall["errors"] == 0
    return {
        "database": database,
        "data": {**asdict(data), "populate_s": round(populate_seconds, 1)},
        "server": SERVER_NAME,
        "concurrency": concurrency,
        "processes": processes,
        "threads": threads,
        **summary,
    }
