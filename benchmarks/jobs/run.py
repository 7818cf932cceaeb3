"""bench_jobs from start to end: a queue of idempotent tasks, separate worker clusters
(each `manage.py qcluster` in its own process group, as on separate machines), one of
them SIGKILLed once a third of the tasks are done, and the ledger read back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

from django.db import connection

from benchmarks.api_load.database import bench_database
from benchmarks.jobs.ledger import ledger_clear, ledger_counts, ledger_create
from benchmarks.jobs.redis_server import redis_server_running

TASK = "benchmarks.jobs.ledger.bench_job_run"
PROJECT_DIR = Path(__file__).resolve().parents[2]


class JobsBenchError(RuntimeError):
    """The benchmark could not run; the message says why."""


def _broker_for(broker: str, *, queue: str, redis_url: str | None):
    if broker == "redis":
        from gitinsight.server.redis_broker import LeasingRedis

        return LeasingRedis(list_key=queue, url=redis_url)
    from django_q.brokers.orm import ORM

    return ORM(list_key=queue)


@contextmanager
def _redis(broker: str, redis_url: str | None) -> Iterator[str | None]:
    if broker != "redis" or redis_url:
        yield redis_url
        return
    with redis_server_running() as url:
        yield url


def _clusters_start(*, count: int, env: dict[str, str], log_dir: Path) -> list[subprocess.Popen]:
    clusters = []
    for index in range(count):
        with (log_dir / f"qcluster-{index + 1}.log").open("w") as log:
            clusters.append(subprocess.Popen(
                [sys.executable, "manage.py", "qcluster"], cwd=PROJECT_DIR, env=env, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            ))
    return clusters


def _clusters_stop(clusters: list[subprocess.Popen]) -> None:
    for cluster in clusters:
        if cluster.poll() is None:
            cluster.send_signal(signal.SIGTERM)
    for cluster in clusters:
        try:
            cluster.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(cluster.pid, signal.SIGKILL)
            cluster.wait()


def bench_jobs_run(
    *, broker: str, tasks: int = 1000, clusters: int = 2, workers: int = 2, kill_one: bool = False,
    work_ms: int = 20, retry: int = 10, database: str = "bench_jobs", redis_url: str | None = None,
    within: float = 600.0,
) -> dict:
    """Run `tasks` tasks through `clusters` clusters of `workers` workers on `broker`
    (orm or redis); with `kill_one`, SIGKILL the first cluster mid-run, so its leased tasks
    are handed out again after `retry` seconds. The summary as a dict."""
    if kill_one and clusters < 2:
        raise JobsBenchError("--kill-one needs at least two clusters (one must survive to finish the work).")
    from django_q.tasks import async_task

    run = uuid.uuid4().hex[:8]
    prefix, queue = f"bench-{run}-", f"bench-jobs-{run}"
    with ExitStack() as stack:
        url = stack.enter_context(bench_database(database))
        redis = stack.enter_context(_redis(broker, redis_url))
        log_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="gitinsight-bench-jobs-")))
        ledger_create()
        queue_broker = _broker_for(broker, queue=queue, redis_url=redis)
        for index in range(tasks):
            async_task(TASK, f"{prefix}{index:06d}", work_ms, broker=queue_broker, sync=False, save=False)
        connection.close()  # the clusters' connections are the ones measured
        env = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "gitinsight.settings", "DATABASE_URL": url, "Q_SYNC": "0",
            "Q_BROKER": broker, "Q_QUEUE": queue, "Q_WORKERS": str(workers), "Q_RETRY": str(retry),
            "Q_TIMEOUT": str(max(1, retry // 2)), "Q_SCHEDULER": "0", "PYTHONUNBUFFERED": "1",
            **({"REDIS_URL": redis} if redis else {}),
        }
        started = time.monotonic()
        running = _clusters_start(count=clusters, env=env, log_dir=log_dir)
        killed = False
        try:
            finished = False
            while time.monotonic() - started < within:
                counts = ledger_counts(prefix)
                finished = finished or counts["completed"] >= tasks
                if kill_one and not killed and counts["completed"] >= tasks // 3:
                    os.killpg(running[0].pid, signal.SIGKILL)  # the whole cluster, like a lost machine
                    running[0].wait()
                    killed = True
                # Done once every task completed and nothing is queued or leased any more:
                # the killed cluster's leases have expired and been run again (to no effect).
                if finished and queue_broker.queue_size() + queue_broker.lock_size() == 0:
                    break
                if all(cluster.poll() is not None for cluster in running):
                    logs = "\n".join(path.read_text()[-2000:] for path in sorted(log_dir.glob("*.log")))
                    raise JobsBenchError(f"every worker cluster exited:\n{logs}")
                time.sleep(0.2)
        finally:
            _clusters_stop(running)
        counts = ledger_counts(prefix)
        left = queue_broker.queue_size() + queue_broker.lock_size()
        queue_broker.delete_queue()
        ledger_clear(prefix)
    seconds = counts["busy_s"]
    return {
        "broker": broker,
        "tasks": tasks,
        "clusters": clusters,
        "workers_per_cluster": workers,
        "killed_one": killed,
        "completed_once": counts["completed_once"],
        "lost": tasks - counts["completed"],
        "duplicated": counts["duplicated"],
        "runs": counts["runs"],
        "ran_again": counts["runs"] - counts["completed"],
        "left_in_queue": left,
        "seconds": round(seconds, 1),  # first task started to last completed
        "tasks_per_s": round(counts["completed"] / seconds, 1) if seconds else 0.0,
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
