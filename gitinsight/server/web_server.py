"""The production web server (gunicorn with gitinsight.server.gunicorn_conf), started as a child
process: by `scripts/serve.py` (make serve, make demo) and by the benchmarks, which
measure the server that is deployed rather than a development server.

`web_server_start` binds the listening socket itself, on a free loopback port, and hands
it to gunicorn (`--bind fd://N`): the port is known before the server runs and no other
process can take it in between.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
SERVER_NAME = "gunicorn"


class WebServerError(RuntimeError):
    """The server exited, or did not answer, before it was ready."""


def gunicorn_command(*bind: str) -> list[str]:
    """The web process's command line; `bind` overrides WEB_BIND."""
    command = [sys.executable, "-m", "gunicorn", "-c", "python:gitinsight.server.gunicorn_conf"]
    for address in bind:
        command += ["--bind", address]
    return [*command, "gitinsight.wsgi:application"]


@dataclass
class WebServer:
    process: subprocess.Popen
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def pids(self) -> list[int]:
        """The master and its workers (workers come and go: read this when it matters)."""
        import psutil

        try:
            master = psutil.Process(self.process.pid)
            return [master.pid, *(child.pid for child in master.children(recursive=True))]
        except psutil.NoSuchProcess:
            return []


def web_server_start(
    *, workers: int = 2, threads: int = 4, env: dict[str, str] | None = None, ready_within: float = 120.0
) -> WebServer:
    """gunicorn with `workers` processes of `threads` threads on a free 127.0.0.1 port, run
    with `env` added to ours (DEBUG off unless `env` says otherwise); returns once every
    worker has loaded the application. Stop it with `web_server_stop`."""
    ready_dir = Path(tempfile.mkdtemp(prefix="gitinsight-web-"))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(512)
    port = listener.getsockname()[1]
    environment = {
        **os.environ,
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "gitinsight.settings",
        "WEB_WORKERS": str(workers),
        "WEB_THREADS": str(threads),
        "WEB_READY_DIR": str(ready_dir),
        **(env or {}),
    }
    try:
        process = subprocess.Popen(
            gunicorn_command(f"fd://{listener.fileno()}"), cwd=str(PROJECT_DIR), env=environment,
            pass_fds=(listener.fileno(),), start_new_session=True,
        )
    finally:
        listener.close()  # gunicorn holds its own copy
    server = WebServer(process=process, port=port)
    try:
        _wait_ready(server, ready_dir=ready_dir, workers=workers, within=ready_within)
    except WebServerError:
        web_server_stop(server)
        raise
    finally:
        shutil.rmtree(ready_dir, ignore_errors=True)
    return server


def _wait_ready(server: WebServer, *, ready_dir: Path, workers: int, within: float) -> None:
    """Until `workers` worker processes have loaded the application (each leaves a file in
    `ready_dir`, see gunicorn_conf.post_worker_init) and /healthz answers (any status: 503
    only says a check is unhealthy), so that start-up is not measured."""
    deadline = time.monotonic() + within
    while True:
        if server.process.poll() is not None:
            raise WebServerError(f"gunicorn exited with status {server.process.returncode} before it was ready")
        if time.monotonic() > deadline:
            raise WebServerError(f"gunicorn was not ready within {within:.0f} s")
        if len(list(ready_dir.iterdir())) >= workers:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=within)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                conn.close()
                return
            except (OSError, http.client.HTTPException):
                pass
        time.sleep(0.1)


def web_server_stop(server: WebServer, *, within: float = 30.0) -> None:
    """SIGTERM (gunicorn's graceful stop), then SIGKILL to the whole group if it hangs."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=within)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()
