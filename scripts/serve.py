"""Run GitInsight on one machine: the web server (gunicorn) and the job worker (django-q2
`qcluster`, which also runs the scheduler), until Ctrl-C or SIGTERM stops all of them.

    python scripts/serve.py [ADDRESS]          # ADDRESS defaults to WEB_BIND or 127.0.0.1:8000

This is what `make serve` and `make demo` run. A stop is graceful: both get SIGTERM, the
web server finishes the requests it has, the worker the tasks it runs; whatever still
runs after STOP_TIMEOUT seconds is killed. With the embedded database the last process
to detach stops the server; if one was killed and never detached, this script stops the
server itself, so a supervisor's stop leaves nothing running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gitinsight.database.embedded_db import embedded_server_stop_if_unused  # noqa: E402 - needs ROOT on the path
from gitinsight.server.web_server import gunicorn_command  # noqa: E402

STOP_TIMEOUT = float(os.environ.get("STOP_TIMEOUT", "40"))


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            # Its own process group: the worker's or the web server's children go with it.
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main() -> int:
    address = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("WEB_BIND", "127.0.0.1:8000")
    stopping = False

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "gitinsight.settings")}
    # Each in its own process group, so a Ctrl-C in the terminal reaches only this script,
    # which then stops them in order.
    children = {
        "the worker": subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env, start_new_session=True
        ),
        "the web server": subprocess.Popen(
            gunicorn_command(*address.split(",")), cwd=ROOT, env=env, start_new_session=True
        ),
    }
    status = 0
    try:
        while not stopping:
            exited = [(name, child) for name, child in children.items() if child.poll() is not None]
            if exited:
                name, child = exited[0]
                status = child.returncode or 1
                sys.stderr.write(f"GitInsight: {name} exited with status {child.returncode}; stopping.\n")
                break
            time.sleep(0.2)
    finally:
        _stop(list(children.values()))
        if not os.environ.get("DATABASE_URL"):
            embedded_server_stop_if_unused(Path(os.environ.get("EMBEDDED_DB_DIR") or ROOT / ".data" / "postgres"))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
