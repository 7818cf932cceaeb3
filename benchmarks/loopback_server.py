"""A threaded WSGI server on loopback for the benchmark commands (bench_webhooks,
bench_api): Django's own runserver core (keep-alive, one thread per connection) without
autoreload, checks or request logs.

Run as `python -m benchmarks.loopback_server [--queue NAME] [--port N]`: it binds
127.0.0.1 (a free port by default), prints the port on the first line of stdout, and
serves until terminated. Several processes may bind one port (SO_REUSEPORT) to use every
core. With --queue, tasks it enqueues go to the django-q2 queue NAME, so no running
cluster takes them. `servers_start` runs several such processes from a benchmark."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

_PROJECT_DIR = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queue", help="django-q2 cluster_name (queue) for enqueued tasks")
    parser.add_argument("--port", type=int, default=0, help="0: a free port; several servers may share one port")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gitinsight.settings")

    from django.conf import settings

    if args.queue:
        # Before django.setup(): django-q2 reads its queue name when its app loads.
        settings.Q_CLUSTER["cluster_name"] = args.queue

    import django

    django.setup()
    import logging

    # One "Enqueued" line per delivery would flood the benchmark's terminal.
    logging.getLogger("django-q").setLevel(logging.WARNING)
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        # wsgiref sends the headers and the body in separate writes; with Nagle's algorithm
        # a small body then waits for the client's delayed ACK: +40 ms on every small
        # response (a detail, a short page) on a keep-alive connection.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args) -> None:
            pass

    class Server(ThreadedWSGIServer):
        request_queue_size = 128  # listen backlog: many clients connect at once
        allow_reuse_port = True  # SO_REUSEPORT: the kernel spreads connections over the processes

    server = Server(("127.0.0.1", args.port), QuietHandler, ipv6=False)
    server.set_app(get_wsgi_application())
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


class LoopbackServerError(RuntimeError):
    """A server process exited before it printed its port."""


def servers_start(
    *, processes: int, env: dict[str, str], queue: str | None = None
) -> tuple[list[subprocess.Popen], int]:
    """`processes` servers sharing one loopback port, run with `env` added to ours (DEBUG
    is off unless `env` says otherwise); return them and the port. Stop them with
    `servers_stop`, also when something fails in between."""
    environment = {**os.environ, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "gitinsight.settings", **env}
    started: list[subprocess.Popen] = []
    port = "0"
    for _ in range(processes):
        command = [sys.executable, "-m", "benchmarks.loopback_server", "--port", port]
        if queue:
            command += ["--queue", queue]
        process = subprocess.Popen(command, cwd=str(_PROJECT_DIR), env=environment, stdout=subprocess.PIPE, text=True)
        started.append(process)
        port = process.stdout.readline().strip()
        if not port.isdigit():
            servers_stop(started)
            raise LoopbackServerError("the loopback server did not start; see its output above")
    return started, int(port)


def servers_stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    main(sys.argv[1:])
