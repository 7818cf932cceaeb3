"""The production web server as the benchmarks and `make serve` start it: gunicorn's
workers serve the project over keep-alive HTTP/1.1 until a SIGTERM stops them all."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import psutil
import pytest
from django.db import connection

from gitinsight.server.web_server import web_server_start, web_server_stop


@pytest.mark.django_db
def test_two_workers_serve_keep_alive_requests_until_stopped(settings):
    url = urlsplit(settings.DATABASE_URL)._replace(path=f"/{connection.settings_dict['NAME']}").geturl()
    server = web_server_start(workers=2, threads=2, env={"DATABASE_URL": url})
    try:
        pids = server.pids()
        assert len(pids) == 3  # the master and two workers
        statuses = []
        for _ in range(4):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            for _ in range(2):  # two requests on one kept-alive connection
                conn.request("GET", "/api/v1/commits")
                response = conn.getresponse()
                statuses.append((response.status, isinstance(json.loads(response.read()), dict)))
            conn.close()
        assert statuses == [(401, True)] * 8
    finally:
        web_server_stop(server)
    assert server.process.returncode == 0
    assert not any(psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE for pid in pids)
