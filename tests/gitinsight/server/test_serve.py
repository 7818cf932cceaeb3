"""`make serve` (scripts/serve.py) under a supervisor: web server, worker and the embedded
database start together, and one SIGTERM stops every one of them."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.worker_harness import wait_until

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status in (200, 503)
    except urllib.error.HTTPError as error:
        return error.code == 503  # up, but the fresh database has no job tables
    except OSError:
        return False


def _postmaster(data_dir: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if cmdline and cmdline[0].endswith("/postgres") and str(data_dir) in cmdline:
            found.append(process)
    return found


@pytest.mark.heavy
def test_one_sigterm_stops_the_web_server_the_worker_and_the_embedded_database():
    # Not under pytest's tmp_path: as root, pgserver runs postgres as another user.
    parent = Path(tempfile.mkdtemp(prefix="gitinsight-serve-"))
    parent.chmod(0o755)
    data_dir = parent / "postgres"
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(EMBEDDED_DB_DIR=str(data_dir), STOP_TIMEOUT="60", Q_WORKERS="1", WEB_WORKERS="2")
    supervisor = subprocess.Popen(
        [sys.executable, "scripts/serve.py", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), within=180, what="the web server answers")
        tree = psutil.Process(supervisor.pid).children(recursive=True)
        names = " ".join(" ".join(p.cmdline()) for p in tree)
        assert "gunicorn" in names and "qcluster" in names
        postgres = _postmaster(data_dir)
        assert len(postgres) == 1

        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=120) == 0
        _, alive = psutil.wait_procs([*tree, *postgres], timeout=30)
        assert alive == [], [" ".join(p.cmdline()) for p in alive]
        assert not (data_dir / "postmaster.pid").exists()
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
        for process in _postmaster(data_dir):
            process.kill()
        shutil.rmtree(parent, ignore_errors=True)
