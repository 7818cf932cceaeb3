"""The benchmarks' loopback server: several processes share one port and serve the
project over keep-alive HTTP/1.1 until stopped."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest
from django.db import connection

from benchmarks.loopback_server import servers_start, servers_stop


@pytest.mark.django_db
def test_two_processes_serve_one_port_until_stopped(settings):
    url = urlsplit(settings.DATABASE_URL)._replace(path=f"/{connection.settings_dict['NAME']}").geturl()
    servers, port = servers_start(processes=2, env={"DATABASE_URL": url})
    try:
        statuses = []
        for _ in range(4):  # separate connections: the kernel spreads them over both processes
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for _ in range(2):  # two requests on one kept-alive connection
                conn.request("GET", "/api/v1/commits")
                response = conn.getresponse()
                statuses.append((response.status, isinstance(json.loads(response.read()), dict)))
            conn.close()
        assert statuses == [(401, True)] * 8
        assert all(server.poll() is None for server in servers)
    finally:
        servers_stop(servers)
    assert all(server.returncode is not None for server in servers)
