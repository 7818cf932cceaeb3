"""A threaded WSGI server on loopback for bench_webhooks: Django's own runserver core
(keep-alive, one thread per connection) without autoreload, checks or request logs.

Run as `python -m ingestion.webhooks.loopback_server --queue NAME [--port N]`: it binds
127.0.0.1 (a free port by default), prints the port on the first line of stdout, and
serves until terminated. Several processes may bind one port (SO_REUSEPORT) to use every
core. Tasks it enqueues go to the django-q2 queue NAME, so no running cluster takes them."""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queue", required=True, help="django-q2 cluster_name (queue) for enqueued tasks")
    parser.add_argument("--port", type=int, default=0, help="0: a free port; several servers may share one port")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gitinsight.settings")

    from django.conf import settings

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


if __name__ == "__main__":
    main(sys.argv[1:])
