"""A fake GitHub REST API over real HTTP on 127.0.0.1, for tests of the REST client.

It answers like api.github.com for the endpoints the backfill reads: JSON shaped like
GitHub's examples, pagination with `Link` headers, `since`/`sort`/`direction`, ETags with
`If-None-Match` -> 304, `x-ratelimit-*` headers with a primary limit that runs out, and
injectable faults (secondary rate limits with `retry-after`, 500s, dropped connections)
on a chosen path and page. The writes an App makes (check runs, comments, the manifest
conversion) are kept in `fake.app` (tests/fakes/github_checks.py).

    with FakeGitHub(build_repository()) as fake:
        client = github_client(base_url=fake.url, token=fake.token)
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.fakes.github_checks import AppWrites, Unprocessable
from tests.fakes.github_examples import RepositoryData, example, iso, pull_list_item


@dataclass
class Fault:
    """Answer requests of `path` (and `page`, when set) badly, `times` times.
    `drop` closes the connection without an answer, like a crashed proxy."""

    path: str
    status: int = 500
    page: int | None = None
    times: int = 1
    retry_after: int | None = None
    message: str = "Server Error"
    drop: bool = False
    #: only requests of this method (None: any)
    method: str | None = None


@dataclass
class LoggedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    status: int = 0
    body: Any = None


@dataclass
class RateLimit:
    limit: int = 5000
    remaining: int = 5000
    reset_in: int = 3600
    reset_at: int = field(default=0)


class FakeGitHub:
    """State of the fake and the HTTP server serving it (a context manager)."""

    def __init__(self, *repositories: RepositoryData, token: str = "ghp_fake_token", app_id: int = 4242) -> None:  # noqa: S107 - a fake
        self.repositories = {data.full_name.lower(): data for data in repositories}
        self.token = token
        self.app_id = app_id
        self.installation_id = 31337
        self.installation_token = "ghs_fake_installation_token"
        #: installation id -> (its token, the account whose repositories it covers; None: every account)
        self.installations: dict[int, tuple[str, str | None]] = {
            self.installation_id: (self.installation_token, None),
        }
        self.rate = RateLimit()
        self.faults: list[Fault] = []
        self.requests: list[LoggedRequest] = []
        #: Actions logs: job id -> plain text, run id -> zip bytes (served by a redirect, as GitHub does)
        self.job_logs: dict[int, str] = {}
        self.run_logs: dict[int, bytes] = {}
        self.reruns: list[int] = []
        #: check runs, comments and manifest codes the App writes or converts
        self.app = AppWrites(app_id=app_id)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------
    def start(self) -> FakeGitHub:
        # githubkit keeps App JWTs and installation tokens in one process-wide cache keyed by
        # App and installation ids, not by server: a token an earlier fake minted would be sent
        # to this one without asking it, and a test counting the tokens it mints would miss it.
        from githubkit.cache import DEFAULT_CACHE_STRATEGY

        DEFAULT_CACHE_STRATEGY.cleanup()
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "the fake is not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    # --- knobs for tests ---------------------------------------------------------------
    def add_fault(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def set_rate_limit(self, *, remaining: int, reset_in: int = 3600, limit: int = 5000) -> None:
        with self._lock:
            self.rate = RateLimit(limit=limit, remaining=remaining, reset_in=reset_in,
                                  reset_at=int(time.time()) + reset_in)

    def reset_rate_limit(self) -> None:
        """What GitHub does at `x-ratelimit-reset`: the budget is full again."""
        with self._lock:
            self.rate.remaining = self.rate.limit
            self.rate.reset_at = int(time.time()) + self.rate.reset_in

    def add_installation(self, installation_id: int, account: str) -> str:
        """Install the App on `account`: its token reads only that account's repositories,
        as GitHub scopes an installation token. Returns the token."""
        token = f"ghs_installation_{installation_id}"
        with self._lock:
            self.installations[installation_id] = (token, account.lower())
        return token

    def installation_for_token(self, header: str) -> tuple[int, str | None] | None:
        """(installation id, account) of the installation token in an Authorization header."""
        for installation_id, (token, account) in self.installations.items():
            if header in (f"token {token}", f"Bearer {token}"):
                return installation_id, account
        return None

    def requested(self, path: str, method: str = "GET") -> list[LoggedRequest]:
        return [r for r in self.requests if r.path == path and r.method == method]

    def repository(self, full_name: str) -> RepositoryData:
        return self.repositories[full_name.lower()]

    # --- used by the handler -----------------------------------------------------------
    def take_fault(self, path: str, page: int, method: str = "GET") -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.path == path and (fault.page is None or fault.page == page) and (
                        fault.method in (None, method)):
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def spend_rate_limit(self, *, counted: bool) -> tuple[dict[str, str], bool]:
        """Rate-limit headers for this answer and whether the budget was already spent."""
        with self._lock:
            if not self.rate.reset_at:
                self.rate.reset_at = int(time.time()) + self.rate.reset_in
            exhausted = self.rate.remaining <= 0
            if counted and not exhausted:
                self.rate.remaining -= 1
            headers = {
                "x-ratelimit-limit": str(self.rate.limit),
                "x-ratelimit-remaining": str(max(self.rate.remaining, 0)),
                "x-ratelimit-reset": str(self.rate.reset_at),
                "x-ratelimit-used": str(self.rate.limit - max(self.rate.remaining, 0)),
                "x-ratelimit-resource": "core",
            }
            return headers, exhausted


def _updated(item: dict) -> str:
    return item.get("updated_at") or ""


def _since(items: list[dict], query: dict[str, str], key: Callable[[dict], str] = _updated) -> list[dict]:
    since = query.get("since")
    return [item for item in items if not since or key(item) >= since]


def _sort(items: list[dict], query: dict[str, str], *, default: str = "created") -> list[dict]:
    sort_key = query.get("sort", default)
    field_name = {"created": "created_at", "updated": "updated_at"}.get(sort_key, "created_at")
    direction = query.get("direction", "desc")
    return sorted(items, key=lambda item: (item.get(field_name) or "", item.get("id", 0)), reverse=direction == "desc")


def _commit_date(commit: dict) -> str:
    return commit["commit"]["committer"]["date"]


class _Handler(BaseHTTPRequestHandler):
    fake: FakeGitHub
    protocol_version = "HTTP/1.1"
    _body: Any = None

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without NODELAY, Nagle's algorithm and
        # delayed ACKs add 40 ms to every request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request stderr line."""

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    # --- plumbing ----------------------------------------------------------------------
    def _dispatch(self, method: str) -> None:
        split = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(split.query).items()}
        logged = LoggedRequest(method, split.path, query, {k.lower(): v for k, v in self.headers.items()})
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            logged.body = json.loads(raw) if raw else None
        except ValueError:
            self._send(logged, 400, {"message": "Problems parsing JSON"}, {})
            return
        self._body = logged.body  # one handler per connection: requests on it come one at a time
        self.fake.requests.append(logged)
        page = int(query.get("page", "1"))
        fault = self.fake.take_fault(split.path, page, method)
        if fault is not None:
            if fault.drop:
                self.close_connection = True
                self.connection.shutdown(2)
                logged.status = -1
                return
            headers = {"retry-after": str(fault.retry_after)} if fault.retry_after is not None else {}
            rate_headers, _ = self.fake.spend_rate_limit(counted=False)
            self._send(logged, fault.status, {"message": fault.message}, headers | rate_headers)
            return
        if split.path.startswith("/_blobs/"):
            self._send_blob(logged, split.path)
            return
        if not self._authorized(split.path, method):
            self._send(logged, 401, {"message": "Bad credentials"}, {})
            return
        try:
            status, body, extra = self._route(method, split.path, query)
        except LookupError:
            status, body, extra = 404, {"message": "Not Found"}, {}
        except Unprocessable as refusal:
            status, body, extra = 422, {"message": "Validation Failed", "errors": [str(refusal)]}, {}
        except PermissionError as refusal:
            status, body, extra = 403, {"message": str(refusal)}, {}
        if status == 302:
            rate_headers, _ = self.fake.spend_rate_limit(counted=True)
            self._send(logged, 302, None, rate_headers | extra, payload=b"")
            return
        payload = json.dumps(body, sort_keys=True).encode()
        etag = 'W/"' + hashlib.sha256(payload).hexdigest() + '"'
        not_modified = status == 200 and self.headers.get("If-None-Match") == etag
        # Requests made as the App itself (its JWT: /app/...) count against the App's own limit,
        # not the installation's: an installation out of requests can still mint its token.
        as_app = split.path == "/app" or split.path.startswith("/app/")
        rate_headers, exhausted = self.fake.spend_rate_limit(counted=not not_modified and not as_app)
        if exhausted and not not_modified and not as_app:
            self._send(logged, 403, {"message": "API rate limit exceeded for installation."}, rate_headers)
            return
        headers = rate_headers | {"etag": etag} | extra
        if not_modified:
            self._send(logged, 304, None, headers)
        else:
            self._send(logged, status, body, headers, payload=payload)

    def _authorized(self, path: str, method: str) -> bool:
        header = self.headers.get("Authorization", "")
        if method == "POST" and re.fullmatch(r"/app-manifests/[^/]+/conversions", path):
            return True  # the one-time code is the credential
        if method == "POST" and path.startswith("/app/installations/"):
            return header.startswith("Bearer ") and header.count(".") == 2  # a JWT signed by the app
        if path.endswith("/installation"):
            return header.startswith("Bearer ") and header.count(".") == 2
        return header in (f"token {self.fake.token}", f"Bearer {self.fake.token}") or bool(
            self.fake.installation_for_token(header)
        )

    def _send(self, logged: LoggedRequest, status: int, body: Any, headers: dict[str, str],
              payload: bytes | None = None) -> None:
        logged.status = status
        data = b"" if status == 304 else (payload if payload is not None else json.dumps(body).encode())
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if data:
            self.wfile.write(data)

    def _send_blob(self, logged: LoggedRequest, path: str) -> None:
        """The storage URL GitHub redirects log downloads to: no API auth, raw bytes."""
        match = re.fullmatch(r"/_blobs/(job|run)-logs/(\d+)", path)
        store = {"job": self.fake.job_logs, "run": self.fake.run_logs}
        found = store[match.group(1)].get(int(match.group(2))) if match else None
        if found is None:
            self._send(logged, 404, {"message": "Not Found"}, {})
            return
        data = found.encode() if isinstance(found, str) else found
        kind = "text/plain" if isinstance(found, str) else "application/zip"
        logged.status = 200
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _paginate(self, path: str, query: dict[str, str], items: list[Any], wrap: str | None = None) -> tuple:
        per_page = min(int(query.get("per_page", "30")), 100)
        page = int(query.get("page", "1"))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page: page * per_page]
        links = []
        base = self.fake.url.rstrip("/") + path

        def link(number: int, rel: str) -> str:
            return f'<{base}?{urlencode(query | {"page": str(number)})}>; rel="{rel}"'

        if page > 1:
            links += [link(page - 1, "prev"), link(1, "first")]
        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        headers = {"link": ", ".join(links)} if links else {}
        body = {"total_count": len(items), wrap: chunk} if wrap else chunk
        return 200, body, headers

    # --- GitHub's endpoints ------------------------------------------------------------
    def _route(self, method: str, path: str, query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        if manifest := re.fullmatch(r"/app-manifests/([^/]+)/conversions", path):
            if method != "POST":
                raise LookupError(path)
            return 201, self.fake.app.manifest_convert(manifest.group(1)), {}
        if (written := self._app_write(method, path)) is not None:
            return written
        if method == "POST" and (rerun := re.fullmatch(r"/repos/[^/]+/[^/]+/actions/runs/(\d+)/rerun-failed-jobs",
                                                      path)):
            self.fake.reruns.append(int(rerun.group(1)))
            return 201, {}, {}
        if method == "POST":
            match = re.fullmatch(r"/app/installations/(\d+)/access_tokens", path)
            if not match or int(match.group(1)) not in self.fake.installations:
                raise LookupError(path)
            token = example("installation-token")
            token.update(token=self.fake.installations[int(match.group(1))][0],
                         expires_at=iso(datetime.now(tz=UTC) + timedelta(hours=1)), repositories=[])
            return 201, token, {}
        if path == "/rate_limit":
            body = example("rate-limit-overview")
            body["resources"]["core"].update(remaining=self.fake.rate.remaining, limit=self.fake.rate.limit)
            return 200, body, {}
        match = re.fullmatch(r"/repos/([^/]+)/([^/]+)(/.*)?", path)
        if not match:
            raise LookupError(path)
        data = self.fake.repository(f"{match.group(1)}/{match.group(2)}")
        rest = match.group(3) or ""
        if rest == "/installation":
            return self._installation_of(match.group(1))
        installation = self.fake.installation_for_token(self.headers.get("Authorization", ""))
        if installation is not None and installation[1] not in (None, match.group(1).lower()):
            raise LookupError(path)  # GitHub answers 404 for a repository the installation does not cover
        return self._repository_route(data, path, rest, query)

    def _app_write(self, method: str, path: str) -> tuple[int, Any, dict[str, str]] | None:
        """Check runs and comments: POST and PATCH under /repos/{owner}/{repo}/."""
        match = re.fullmatch(r"/repos/([^/]+/[^/]+)(/.*)", path)
        if method not in ("POST", "PATCH") or not match:
            return None
        full_name, rest = match.group(1), match.group(2)
        body = self._body if isinstance(self._body, dict) else {}
        if rest.startswith("/check-runs"):
            self._app_installation_required(full_name)
            self.fake.repository(full_name)
            if method == "POST" and rest == "/check-runs":
                return 201, self.fake.app.check_run_create(full_name, body), {}
            if method == "PATCH" and (update := re.fullmatch(r"/check-runs/(\d+)", rest)):
                return 200, self.fake.app.check_run_update(full_name, int(update.group(1)), body), {}
            raise LookupError(path)
        if method == "POST" and (comment := re.fullmatch(r"/issues/(\d+)/comments", rest)):
            self.fake.repository(full_name)
            return 201, self.fake.app.comment_create(full_name, int(comment.group(1)), body), {}
        if method == "PATCH" and (comment := re.fullmatch(r"/issues/comments/(\d+)", rest)):
            self.fake.repository(full_name)
            return 200, self.fake.app.comment_update(int(comment.group(1)), body), {}
        return None

    def _app_installation_required(self, full_name: str) -> None:
        """Only a GitHub App writes check runs, with a token of an installation on the owner."""
        installation = self.fake.installation_for_token(self.headers.get("Authorization", ""))
        if installation is None:
            raise PermissionError("You must authenticate via a GitHub App.")
        if installation[1] not in (None, full_name.split("/")[0].lower()):
            raise LookupError(full_name)

    def _installation_of(self, owner: str) -> tuple[int, Any, dict[str, str]]:
        """`GET /repos/{owner}/{repo}/installation`: the installation on the owner's account."""
        covering = [i for i, (_, account) in self.fake.installations.items() if account == owner.lower()]
        covering = covering or [i for i, (_, account) in self.fake.installations.items() if account is None]
        if not covering:
            raise LookupError(owner)
        installation = example("installation")
        installation.update(id=covering[0], app_id=self.fake.app_id)
        return 200, installation, {}

    def _repository_route(self, data: RepositoryData, path: str, rest: str, query: dict[str, str]) -> tuple:
        if rest == "":
            return 200, data.repo, {}
        if rest == "/pulls":
            state = query.get("state", "open")
            pulls = [p for p in data.pulls if state == "all" or p["state"] == state]
            return self._paginate(path, query, [pull_list_item(p) for p in _sort(pulls, query)])
        if rest == "/pulls/comments":
            return self._paginate(path, query, _sort(_since(data.review_comments, query), query))
        if match := re.fullmatch(r"/pulls/(\d+)(/files|/commits|/reviews)?", rest):
            number = int(match.group(1))
            pull = data.pull(number)
            sub = {"/files": data.pull_files, "/commits": data.pull_commits, "/reviews": data.pull_reviews}
            if match.group(2) is None:
                return 200, pull, {}
            return self._paginate(path, query, sub[match.group(2)][number])
        if rest == "/commits":
            commits = [c for c in data.commits if not query.get("since") or _commit_date(c) >= query["since"]]
            return self._paginate(path, query, sorted(commits, key=_commit_date, reverse=True))
        if match := re.fullmatch(r"/commits/([^/]+)/check-runs", rest):
            written = self.fake.app.check_runs_for_ref(data.full_name, match.group(1), query)
            return self._paginate(path, query, data.check_runs.get(match.group(1), []) + written, wrap="check_runs")
        if match := re.fullmatch(r"/check-runs/(\d+)(/annotations)?", rest):
            if match.group(2):
                return self._paginate(path, query, self.fake.app.check_run_annotations(data.full_name,
                                                                                        int(match.group(1))))
            return 200, self.fake.app.check_run_get(data.full_name, int(match.group(1))), {}
        if match := re.fullmatch(r"/commits/([^/]+)", rest):
            detail = data.commit_detail(match.group(1))
            if detail is None:
                raise LookupError(rest)
            return 200, detail, {}
        if rest == "/issues":
            state = query.get("state", "open")
            issues = [i for i in data.issues if state == "all" or i["state"] == state]
            return self._paginate(path, query, _sort(_since(issues, query), query))
        if rest == "/issues/comments":
            return self._paginate(path, query, _sort(_since(data.issue_comments, query), query))
        if rest == "/milestones":
            state = query.get("state", "open")
            milestones = [m for m in data.milestones if state == "all" or m["state"] == state]
            return self._paginate(path, query, sorted(milestones, key=lambda m: m["number"]))
        if rest == "/actions/runs":
            created = query.get("created", "").removeprefix(">=")
            runs = [r for r in data.workflow_runs if not created or r["created_at"] >= created]
            runs = sorted(runs, key=lambda r: r["created_at"], reverse=True)
            return self._paginate(path, query, runs, wrap="workflow_runs")
        if match := re.fullmatch(r"/actions/(jobs|runs)/(\d+)/logs", rest):
            kind, number = match.group(1)[:-1], int(match.group(2))
            if number not in (self.fake.job_logs if kind == "job" else self.fake.run_logs):
                raise LookupError(rest)
            return 302, None, {"location": f"{self.fake.url.rstrip('/')}/_blobs/{kind}-logs/{number}"}
        if match := re.fullmatch(r"/actions/runs/(\d+)/jobs", rest):
            return self._paginate(path, query, data.jobs.get(int(match.group(1)), []), wrap="jobs")
        raise LookupError(rest)
