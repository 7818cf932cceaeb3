"""gunicorn's settings for the web process: `gunicorn -c python:gitinsight.server.gunicorn_conf gitinsight.wsgi`.

Threaded workers (gthread): each worker process serves WEB_THREADS requests at once over
keep-alive connections, so a request waiting on PostgreSQL does not hold a core, and
WEB_WORKERS processes use the cores. The application is loaded in each worker, not in
the master: with the embedded database every worker attaches to the server itself, and
the master holds no database connection that forked workers would share.
"""

from __future__ import annotations

import gc
import os
import sys


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("WEB_BIND", "127.0.0.1:8000").split(",")
# One process per core, four threads each. On 2 cores with bench_api's 8 clients, 4 x 2 and
# 3 x 3 measured no better than 2 x 4 (six interleaved pairs at load 2-6: 4 x 2 served 15 %
# more requests a second on average but won only four pairs, with a worse mean p95 and 9 %
# more CPU per request), and each process costs its own memory (about 225 MB).
workers = _int("WEB_WORKERS", 2)
worker_class = "gthread"
threads = _int("WEB_THREADS", 4)
# Browsers and API clients reuse connections; the proxy in front does too.
keepalive = _int("WEB_KEEPALIVE", 5)
# A request running longer than this is killed with its worker (the webhook and API
# requests take milliseconds; long work runs in the job worker).
timeout = _int("WEB_TIMEOUT", 60)
# On SIGTERM a worker finishes the requests it has before it exits.
graceful_timeout = _int("WEB_GRACEFUL_TIMEOUT", 20)
# Restarting a worker now and then returns memory fragmented by large responses.
max_requests = _int("WEB_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
# The listen backlog: many clients may connect at once.
backlog = 512
# X-Forwarded-For / -Proto are believed only from these addresses (the TLS proxy).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The workers' heartbeat files on a memory file system: a slow disk never looks like a hung worker.
_SHM = "/dev/shm"  # noqa: S108 - gunicorn's own advice; each worker's file is private to it
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None
accesslog = "-" if os.environ.get("WEB_ACCESS_LOG", "").lower() in {"1", "true", "yes", "on"} else None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
proc_name = "gitinsight-web"
# How long a worker's thread may hold the interpreter while another waits for it (Python's
# default is 5 ms). A request thread whose database answer has arrived waits up to that long
# for a thread busy rendering another request, at each of its statements. Measured through
# gunicorn on 2 cores, back to back on a quiet machine: bench_api's p95 45-52 ms at 1 ms, 40-48
# ms at 2 ms, 52-54 ms at 5 ms; webhook intake's p99 160-207 ms at 1 ms (three runs), 70-127 ms at
# 2 ms and 76-96 ms at 5 ms when no full garbage collection fell inside the run (see below).
_switch_interval_ms = float(os.environ.get("WEB_SWITCH_INTERVAL_MS", "").strip() or 2.0)


def post_worker_init(worker) -> None:
    """Runs in each worker once it has loaded the application: sets the switch interval, and
    moves what loading made (about 270,000 objects: Django, the apps, their models) out of the
    garbage collector's sight. Otherwise each full collection walks them all, about 160 ms in
    which none of the worker's requests move: webhook intake's p99 was 159-191 ms in the runs a
    full collection fell into, and 73-95 ms in three runs after freezing. With WEB_READY_DIR set
    (the benchmarks and tests set it), the worker then leaves a file named by its pid there: the
    server is ready when all have."""
    sys.setswitchinterval(_switch_interval_ms / 1000)
    gc.collect()  # what loading left unreachable goes now; frozen, it never would
    gc.freeze()
    ready_dir = os.environ.get("WEB_READY_DIR")
    if ready_dir:
        try:
            with open(os.path.join(ready_dir, str(os.getpid())), "w"):
                pass
        except OSError:  # the folder is gone once the starter saw every worker ready
            pass


def worker_exit(server, worker) -> None:
    """Requests a worker counted in memory reach the shared rate-limit counters before it goes."""
    from django.db import DatabaseError

    from gitinsight.api.throttling import rate_limit_tallies_flush

    try:
        rate_limit_tallies_flush()
    except DatabaseError:
        server.log.warning("Could not save this worker's last rate-limit counts.")
