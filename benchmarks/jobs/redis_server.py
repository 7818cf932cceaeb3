"""A private redis-server (Debian's package) on a free loopback port, for the jobs
benchmark and the tests; nothing is saved to disk and it stops with the block."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

INSTALL_HINT = "install it with scripts/install_redis.sh (Debian's redis-server package)"


class RedisUnavailable(RuntimeError):
    """redis-server is not installed or did not start; the message says what to do."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def redis_server_running(*, within: float = 20.0) -> Iterator[str]:
    """Start redis-server on 127.0.0.1 and yield its URL; stop it (and delete its folder) after."""
    import redis

    debian = Path("/usr/bin/redis-server")  # root's PATH may lack /usr/sbin-style dirs; the package puts it here
    program = shutil.which("redis-server") or (str(debian) if debian.exists() else None)
    if program is None:
        raise RedisUnavailable(f"redis-server is not installed; {INSTALL_HINT}.")
    folder = Path(tempfile.mkdtemp(prefix="gitinsight-redis-"))
    for attempt in range(3):  # a port found free may be taken before the server binds it
        port = _free_port()
        process = subprocess.Popen(
            [program, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
             "--dir", str(folder), "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        url = f"redis://127.0.0.1:{port}/0"
        deadline = time.monotonic() + within
        while process.poll() is None and time.monotonic() < deadline:
            try:
                if redis.from_url(url, socket_timeout=1).ping():
                    break
            except redis.ConnectionError:
                time.sleep(0.05)
        if process.poll() is None:
            break
        if attempt == 2:
            detail = process.stderr.read().decode(errors="replace").strip() if process.stderr else ""
            shutil.rmtree(folder, ignore_errors=True)
            raise RedisUnavailable(f"redis-server did not start: {detail or 'no message'}")
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)
