"""CPU spent per request by each side of bench_api. On a shared machine latencies say as
much about the neighbours as about the code; CPU time per request does not, and tells
what two dedicated cores would serve."""

from __future__ import annotations

from dataclasses import dataclass, field

import psutil
from django.db import connection

from gitinsight.server.web_server import WebServer


def processes_cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def database_backend_pids() -> list[int]:
    """The client backends connected to the current database, but ours (autovacuum
    workers, busy after a rebuild, are not the API's cost)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'"
        )
        return [pid for (pid,) in cursor.fetchall()]


@dataclass
class CpuMeter:
    """Started once the servers listen (so their start-up is not counted) and read
    before they stop; the database backends are the servers' own, opened during the run."""

    server: WebServer
    spent: dict[str, float] = field(default_factory=dict)

    def _now(self) -> dict[str, float]:
        me = psutil.Process().cpu_times()
        return {
            "servers": processes_cpu_seconds(self.server.pids()),
            "postgres": 0.0,
            "clients": me.user + me.system,
        }

    def start(self) -> None:
        self.spent = {side: -seconds for side, seconds in self._now().items()}

    def stop(self) -> None:
        """Call while the servers' database connections are still open: a backend's CPU
        time goes with it."""
        for side, seconds in self._now().items():
            self.spent[side] += seconds
        self.spent["postgres"] = processes_cpu_seconds(database_backend_pids())
        connection.close()  # stop() runs in a client thread, which opened this connection

    def per_request_ms(self, requests: int) -> dict[str, float]:
        return {side: round(seconds * 1000 / max(requests, 1), 2) for side, seconds in self.spent.items()}
