"""bench_pr_verdict: signed `pull_request.opened` deliveries for real pull request heads of a
clone (some of them the same change twice, some followed by a failed check with a real CI
log), sent at once to gunicorn on loopback (the server that is deployed), processed by a real
worker cluster, with the GitHub App's requests answered by the fake GitHub of the tests;
measured from each delivery to the last edit of its GitInsight check run on that fake.

Everything it creates lives in an organization of its own, deleted at the end."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.db import connection

from benchmarks.api_load.database import database_url_for
from gitinsight.server.web_server import SERVER_NAME, WebServer, web_server_start, web_server_stop
from ingestion.core.webhook_signature import signature_for

_PROJECT_DIR = Path(__file__).resolve().parents[1]
OWNER, NAME, REPO_ID, INSTALLATION_ID, APP_ID = "pytest-dev", "pytest", 8_440_000_001, 8_440_001, 8_440
#: a failed check's run and job ids on the fake (GitHub Actions gives a check run its job's id)
CHECK_RUN_BASE = 8_450_000_000
DUPLICATE_BASE = 900_000  # numbers of the pull requests that repeat another one's change


@dataclass(frozen=True)
class Head:
    """One pull request to open: a real head of the clone, or the same change as `same_as`."""

    number: int
    head_sha: str
    base_sha: str
    title: str
    author: str
    same_as: int | None = None
    failing_log: Path | None = None


@dataclass
class Measured:
    number: int
    sent_at: float
    status: int
    check_run: dict | None = None
    last_edit_at: float | None = None
    writes: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _git(git_dir: Path, *args: str) -> str:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True, text=True, check=True,
                          timeout=60).stdout


def heads_from_history(git_dir: Path, *, prs: int, duplicates: int, failing: int, logs: list[Path],
                       trunk: str = "refs/heads/main") -> list[Head]:
    """`prs` pull requests: the newest pull request heads of the clone that share history with
    `trunk` (their base is the merge base), `duplicates` of them opened a second time under
    another number, and `failing` of them followed by a failed check whose log is one of `logs`."""
    refs = [line.split() for line in _git(git_dir, "for-each-ref", "--format=%(objectname) %(refname)",
                                          "refs/pull/").splitlines()]
    numbered = sorted(((int(ref.split("/")[2]), sha) for sha, ref in refs if ref.endswith("/head")), reverse=True)
    originals: list[Head] = []
    wanted = prs - duplicates
    for number, sha in numbered:
        if len(originals) == wanted:
            break
        try:
            base = _git(git_dir, "merge-base", trunk, sha).strip()
            subject, author = _git(git_dir, "log", "-1", "--format=%s%x00%an", sha).rstrip("\n").split("\0")
        except subprocess.CalledProcessError:
            continue
        if base == sha:
            continue  # already merged into trunk: nothing to review
        login = "".join(ch for ch in author.lower().replace(" ", "-") if ch.isalnum() or ch == "-")[:39] or "author"
        originals.append(Head(number, sha, base, subject[:200], login))
    every = max(1, len(originals) // max(1, failing))
    originals = [replace(head, failing_log=logs[index // every % len(logs)])
                 if logs and index % every == 0 and index // every < failing else head
                 for index, head in enumerate(originals)]
    step = max(1, len(originals) // max(1, duplicates))
    repeats = [Head(DUPLICATE_BASE + head.number, head.head_sha, head.base_sha, head.title, "someone-else",
                    same_as=head.number) for head in originals[::step][:duplicates]]
    return originals + repeats


def pull_request_payload(head: Head, *, repository: dict, installation_id: int) -> dict:
    """GitHub's pull_request.opened example, made this head's."""
    from tests.triage.verdicts.payloads import webhook_example

    payload = webhook_example("pull_request", "opened")
    payload["repository"] = repository
    payload["installation"] = {"id": installation_id, "node_id": f"I_{installation_id}"}
    payload["number"] = head.number
    pull = payload["pull_request"]
    pull.update(id=REPO_ID * 10 + head.number, number=head.number, title=head.title, body="", state="open",
                html_url=f"https://github.com/{OWNER}/{NAME}/pull/{head.number}",
                url=f"https://api.github.com/repos/{OWNER}/{NAME}/pulls/{head.number}", merged=False,
                merged_at=None, closed_at=None, draft=False)
    pull["user"] = {**pull["user"], "login": head.author, "id": abs(hash(head.author)) % 10**8, "type": "User"}
    pull["head"].update(sha=head.head_sha, ref=f"pr-{head.number}", repo=repository)
    pull["base"].update(sha=head.base_sha, ref="main", repo=repository)
    return payload


def failed_check_payload(head: Head, *, repository: dict, installation_id: int, check_run_id: int) -> dict:
    from tests.triage.verdicts.payloads import webhook_example

    payload = webhook_example("check_run", "completed")
    payload["repository"] = repository
    payload["installation"] = {"id": installation_id, "node_id": f"I_{installation_id}"}
    run = payload["check_run"]
    run.update(id=check_run_id, node_id=f"CR_{check_run_id}", name="tests (ubuntu, 3.12)", head_sha=head.head_sha,
               external_id="", status="completed", conclusion="failure",
               html_url=f"https://github.com/{OWNER}/{NAME}/actions/runs/{check_run_id}/job/{check_run_id}",
               details_url=f"https://github.com/{OWNER}/{NAME}/actions/runs/{check_run_id}/job/{check_run_id}",
               pull_requests=[{"number": head.number, "id": REPO_ID * 10 + head.number,
                               "head": {"sha": head.head_sha, "ref": f"pr-{head.number}"},
                               "base": {"sha": head.base_sha, "ref": "main"}}])
    run["app"] = {**run.get("app", {}), "id": 15368, "slug": "github-actions"}
    run["check_suite"] = {**run.get("check_suite", {}), "id": check_run_id + 1, "head_sha": head.head_sha,
                          "pull_requests": []}
    return payload


def _cpu_seconds() -> float:
    """This process's CPU time and that of the programs it ran and waited for (git)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def task_timings_connect(path: Path, profiles: Path | None = None) -> None:
    """In a worker cluster: one JSON line per task run appended to `path` — its function, when
    it was queued, began and ended (epoch seconds) and the CPU seconds it used; with `profiles`,
    each task's cProfile statistics are written there too (<function>-<task id>.prof)."""
    import cProfile

    from django_q.signals import post_execute_in_worker, pre_execute

    began: dict[str, tuple[float, float]] = {}
    profilers: dict[str, cProfile.Profile] = {}

    def before(sender: Any, func: Any, task: dict, **kwargs: Any) -> None:
        began[task["id"]] = (time.time(), _cpu_seconds())
        if profiles is not None:
            profilers[task["id"]] = profiler = cProfile.Profile()
            profiler.enable()

    def after(sender: Any, func: Any, task: dict, **kwargs: Any) -> None:
        profiler = profilers.pop(task["id"], None)
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(str(profiles / f"{str(task.get('func', '')).rsplit('.', 1)[-1]}-{task['id']}.prof"))
        at, cpu = began.pop(task["id"], (None, None))
        if at is None:
            return
        line = {"func": str(task.get("func", "")).rsplit(".", 1)[-1], "queued": task["started"].timestamp(),
                "began": at, "ended": time.time(), "cpu_s": _cpu_seconds() - cpu}
        with path.open("a") as out:  # one short write per line: lines of several workers do not mix
            out.write(json.dumps(line) + "\n")

    pre_execute.connect(before, weak=False, dispatch_uid="bench_pr_verdict.before")
    post_execute_in_worker.connect(after, weak=False, dispatch_uid="bench_pr_verdict.after")


def task_breakdown(path: Path, *, since: float, prs: int) -> dict[str, Any]:
    """Where the workers' time went for the tasks queued from `since` on: per kind of task, how
    many ran, how long they waited in the queue and ran (mean, seconds) and their CPU time
    (milliseconds); and the tasks and CPU milliseconds per pull request, which depend far less
    on the machine's load than latencies do."""
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []
    lines = [line for line in lines if line["queued"] >= since]
    kinds: dict[str, dict[str, Any]] = {}
    for func in sorted({line["func"] for line in lines}):
        runs = [line for line in lines if line["func"] == func]
        waits = [line["began"] - line["queued"] for line in runs]
        kinds[func] = {
            "tasks": len(runs),
            "wait_s_mean": round(statistics.fmean(waits), 2),
            "wait_s_p95": round(_percentile(waits, 0.95), 2),
            "run_s_mean": round(statistics.fmean(line["ended"] - line["began"] for line in runs), 3),
            "cpu_ms_mean": round(1000 * statistics.fmean(line["cpu_s"] for line in runs), 1),
            "cpu_ms_total": round(1000 * sum(line["cpu_s"] for line in runs)),
        }
    return {
        "tasks_per_pr": round(len(lines) / prs, 2) if prs else None,
        "worker_cpu_ms_per_pr": round(1000 * sum(line["cpu_s"] for line in lines) / prs, 1) if prs else None,
        "worker_busy_s": round(sum(line["ended"] - line["began"] for line in lines), 1),
        "by_task": kinds,
    }


def cluster_start(*, env: dict[str, str], queue: str, log: Path, timings: Path | None = None,
                  profiles: Path | None = None, poll: float = 0.05) -> subprocess.Popen:
    """A django-q2 cluster taking tasks from `queue` only, without the scheduler; with `timings`,
    each task's times are appended there (task_timings_connect)."""
    code = (
        "import os, django\n"
        "from pathlib import Path\n"
        "from django.conf import settings\n"
        f"settings.Q_CLUSTER.update(poll={poll!r})\n"
        "django.setup()\n"
        + ("from benchmarks.pr_verdict import task_timings_connect\n"
           f"task_timings_connect(Path({str(timings)!r}), {f'Path({str(profiles)!r})' if profiles else None})\n"
           if timings else "")
        + "from django.core.management import call_command\n"
        "call_command('qcluster')\n"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "gitinsight.settings", "PYTHONUNBUFFERED": "1", **env,
                   "Q_QUEUE": queue, "Q_SCHEDULER": "0", "Q_SYNC": "0"}
    with log.open("w") as out:
        return subprocess.Popen([sys.executable, "-c", code], cwd=str(_PROJECT_DIR), env=environment, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def cluster_stop(process: subprocess.Popen) -> None:
    import signal

    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def send(url: str, *, event: str, payload: dict, secret: str, delivery_id: str) -> int:
    parts = url.split("/", 3)
    host, port = parts[2].split(":")
    body = json.dumps(payload).encode()
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        conn.request("POST", "/" + parts[3], body=body, headers={
            "Content-Type": "application/json", "X-GitHub-Event": event, "X-GitHub-Delivery": delivery_id,
            "X-Hub-Signature-256": signature_for(secret, body)})
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        conn.close()


def _names_same_change(summary: str, number: int) -> bool:
    """Whether a check run's summary calls pull request `number` the same change."""
    return re.search(rf"The same change as \[?#{number}\b", summary) is not None


def duplicates_named(heads: list[Head], summaries: dict[int, str]) -> dict[str, int]:
    """Of the planted duplicates (a head opened again as `same_as`), how many check runs call the
    other pull request the same change: the later one's ("later"), the earlier one's ("earlier"),
    and both ("both", what a maintainer on either pull request needs)."""
    counts = {"later": 0, "earlier": 0, "both": 0}
    for head in heads:
        if head.same_as is None:
            continue
        later = _names_same_change(summaries.get(head.number, ""), head.same_as)
        earlier = _names_same_change(summaries.get(head.same_as, ""), head.number)
        counts["later"] += later
        counts["earlier"] += earlier
        counts["both"] += later and earlier
    return counts


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def bench_run(*, prs: int, git_dir: Path, logs_dir: Path | None, duplicates: int, failing: int, processes: int,
              workers: int, timeout: float, threads: int = 4, quiet_for: float = 3.0,
              profiles: Path | None = None) -> dict[str, Any]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from gitinsight.models import Organization
    from ingestion.models import Installation, Repository
    from tests.fakes.github_examples import build_repository
    from tests.fakes.github_server import FakeGitHub
    from triage.verdicts.models import CheckRunPolicy, PullRequestCheckRun

    logs = sorted(logs_dir.glob("*.txt"))[:20] if logs_dir else []
    warmups = max(2, workers)  # pull requests opened first, one per worker, and not measured
    heads = heads_from_history(git_dir, prs=prs + warmups, duplicates=duplicates, failing=failing if logs else 0,
                               logs=logs)
    # The oldest heads warm the workers up (a running worker has imported its libraries and
    # loaded the embedding model long before a pull request arrives); they are not measured.
    warmup = [head for head in heads if head.same_as is None and head.failing_log is None][-warmups:]
    heads = [head for head in heads if head not in warmup]
    run = uuid.uuid4().hex[:8]
    secret, queue = f"bench-secret-{run}", f"bench-pr-verdict-{run}"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    data = build_repository(OWNER, NAME, repo_id=REPO_ID, pulls=0, issues=0, commits=0, milestones=0,
                            workflow_runs=0)
    bench_leftovers_delete()
    organization = Organization.objects.create(login=f"bench-pr-verdict-{run}", name="bench_pr_verdict")
    server: WebServer | None = None
    cluster: subprocess.Popen | None = None
    log = Path(tempfile.gettempdir()) / f"bench_pr_verdict-{run}-qcluster.log"
    timings = Path(tempfile.gettempdir()) / f"bench_pr_verdict-{run}-tasks.jsonl"
    try:
        with FakeGitHub(data, app_id=APP_ID) as fake:
            fake.installations.clear()
            fake.add_installation(INSTALLATION_ID, OWNER)
            installation = Installation.objects.create(github_id=INSTALLATION_ID, organization=organization,
                                                       account_login=OWNER, account_type="Organization")
            repository = Repository.objects.create(
                organization=organization, installation=installation, github_id=REPO_ID, owner=OWNER, name=NAME,
                full_name=f"{OWNER}/{NAME}", html_url=f"https://github.com/{OWNER}/{NAME}", local_path=str(git_dir))
            CheckRunPolicy.objects.create(organization=organization, enabled=True)
            failing_heads = [head for head in heads if head.failing_log]
            for index, head in enumerate(failing_heads):
                # read at run time, never copied into the tree
                fake.job_logs[CHECK_RUN_BASE + index] = head.failing_log.read_text(errors="replace")
            connection.close()
            env = {"GITHUB_WEBHOOK_SECRET": secret, "GITHUB_API_URL": fake.url, "GITHUB_APP_ID": str(APP_ID),
                   "GITHUB_APP_PRIVATE_KEY": key, "GITHUB_TOKEN": "", "GITHUB_TOKEN_REPOSITORIES": "",
                   "Q_SYNC": "0", "Q_WORKERS": str(workers), "DEBUG": "0",
                   # the database this process wrote the organization into (a test's, too)
                   "DATABASE_URL": database_url_for(connection.settings_dict["NAME"])}
            cluster = cluster_start(env=env, queue=queue, log=log, timings=timings, profiles=profiles)
            # The web server enqueues into the benchmark's own queue, which only its cluster takes.
            server = web_server_start(workers=processes, threads=threads, env={**env, "Q_QUEUE": queue})
            url = f"{server.url}/webhooks/github"
            repository_json = {**data.repo, "id": REPO_ID, "name": NAME, "full_name": f"{OWNER}/{NAME}",
                               "owner": {**data.repo["owner"], "login": OWNER, "type": "Organization"}}

            def deliver(head: Head) -> Measured:
                payload = pull_request_payload(head, repository=repository_json, installation_id=INSTALLATION_ID)
                sent_at = time.time()
                status = send(url, event="pull_request", payload=payload, secret=secret,
                              delivery_id=f"{queue}-pr-{head.number}")
                return Measured(head.number, sent_at, status)

            with ThreadPoolExecutor(max_workers=warmups) as pool:
                list(pool.map(deliver, warmup))
            deadline = time.time() + timeout
            while time.time() < deadline and PullRequestCheckRun.objects.filter(
                    repository=repository, status="completed").exclude(github_id=None).count() < len(warmup):
                time.sleep(0.25)
            connection.close()
            fake.app.writes.clear()
            load_before = os.getloadavg()
            started = time.time()
            with ThreadPoolExecutor(max_workers=len(heads)) as pool:
                measured = {m.number: m for m in pool.map(deliver, heads)}
            # The failed checks follow once their pull request is stored (GitHub reports a check
            # of a pull request's head after the pull request exists).
            from ingestion.models import PullRequest

            deadline = time.time() + timeout
            numbers = [head.number for head in failing_heads]
            while numbers and time.time() < deadline and PullRequest.objects.filter(
                    repository=repository, number__in=numbers).count() < len(numbers):
                time.sleep(0.1)
            connection.close()

            def fail(item: tuple[int, Head]) -> int:
                index, head = item
                payload = failed_check_payload(head, repository=repository_json, installation_id=INSTALLATION_ID,
                                               check_run_id=CHECK_RUN_BASE + index)
                return send(url, event="check_run", payload=payload, secret=secret,
                            delivery_id=f"{queue}-check-{head.number}")

            with ThreadPoolExecutor(max_workers=max(1, len(failing_heads))) as pool:
                check_statuses = list(pool.map(fail, enumerate(failing_heads)))

            def finished() -> bool:
                rows = PullRequestCheckRun.objects.filter(repository=repository)
                done = rows.filter(status="completed").exclude(github_id=None)
                return done.count() >= len(heads) + len(warmup) and all(row.is_posted for row in done)

            while time.time() < deadline:
                if finished() and time.time() - max([w.at for w in fake.app.writes] or [0]) > quiet_for:
                    break
                time.sleep(0.25)
            wall = time.time() - started
            load_after = os.getloadavg()
            rows = {row.pull_request.number: row
                    for row in PullRequestCheckRun.objects.filter(repository=repository).select_related("pull_request")}
            by_external: dict[str, list[dict]] = {}
            warm_heads = {head.head_sha for head in warmup}
            for check_run in fake.app.check_runs.values():
                if check_run["name"] == "GitInsight" and check_run["head_sha"] not in warm_heads:
                    by_external.setdefault(f"{check_run['head_sha']}/{check_run['external_id']}", []).append(check_run)
            last_write: dict[int, float] = {}
            for write in fake.app.writes:
                last_write[write.check_run_id] = max(write.at, last_write.get(write.check_run_id, 0.0))
            latencies = []
            lost = 0
            for head in heads:
                item = measured[head.number]
                row = rows.get(head.number)
                if row is None or not row.github_id or row.status != "completed" or not row.is_posted:
                    lost += 1
                    continue
                latencies.append(last_write[row.github_id] - item.sent_at)
            check_runs = len(by_external)
            created = sum(len(runs) for runs in by_external.values())
            # what GitHub shows (the fake's copy), not what GitInsight meant to post
            shown = {number: (fake.app.check_runs.get(row.github_id, {}).get("output") or {}).get("summary") or ""
                     for number, row in rows.items() if row.github_id}
            named = duplicates_named(heads, shown)
            failed_analysed = sum(1 for head in failing_heads if rows.get(head.number) and (
                "Failed checks" in rows[head.number].summary and "being analysed" not in rows[head.number].summary))
            return {
                "prs": len(heads),
                "warmup_prs": len(warmup),
                "deliveries_accepted": sum(1 for m in measured.values() if 200 <= m.status < 300),
                "failed_checks_sent": len(failing_heads),
                "failed_checks_accepted": sum(1 for status in check_statuses if 200 <= status < 300),
                "failed_checks_in_verdict": failed_analysed,
                "duplicates_planted": sum(1 for head in heads if head.same_as is not None),
                "duplicates_named": named["both"],
                "duplicates_named_by_later": named["later"],
                "duplicates_named_by_earlier": named["earlier"],
                "check_runs": check_runs,
                "duplicate_check_runs": created - check_runs,
                "check_run_writes": len(fake.app.writes),
                "lost": lost,
                "p50_s": round(statistics.median(latencies), 2) if latencies else None,
                "p95_s": round(_percentile(latencies, 0.95), 2) if latencies else None,
                "max_s": round(max(latencies), 2) if latencies else None,
                "wall_s": round(wall, 1),
                "server": SERVER_NAME,
                "web_processes": processes,
                "web_threads": threads,
                "workers": workers,
                "cpus": os.cpu_count(),
                "load_avg_before": [round(v, 2) for v in load_before],
                "load_avg_after": [round(v, 2) for v in load_after],
                "breakdown": task_breakdown(timings, since=started, prs=len(heads)),
            }
    finally:
        if server is not None:
            web_server_stop(server)
        if cluster is not None:
            cluster_stop(cluster)
        bench_cleanup(organization=organization, queue=queue)
        timings.unlink(missing_ok=True)


def bench_leftovers_delete() -> None:
    """What an interrupted run left: the benchmark's own installation and repository ids."""
    from gitinsight.models import Organization
    from ingestion.models import Installation, Repository

    Repository.objects.filter(github_id=REPO_ID).delete()
    Installation.objects.filter(github_id=INSTALLATION_ID).delete()
    Organization.objects.filter(login__startswith="bench-pr-verdict-").delete()


def bench_cleanup(*, organization, queue: str) -> None:
    """Remove the benchmark's organization (its repository, pull requests, check runs...), its
    deliveries and the tasks it queued."""
    from django_q.brokers import get_broker

    from ingestion.models import WebhookDelivery

    connection.close()
    WebhookDelivery.objects.filter(delivery_id__startswith=queue).delete()
    get_broker(list_key=queue).delete_queue()
    organization.delete()
    bench_leftovers_delete()
    connection.close()
