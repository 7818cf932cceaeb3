"""The optional GitHub comment for SAME_CHANGE verdicts, against a loopback HTTP server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.triage.duplicates.diffs import PYTHON_FIX, UNRELATED
from tests.triage.duplicates.fixtures import analyse, make_pull_request, make_repository
from triage.duplicates.models import AnalysisRun, GitHubNotice


class _Comments(BaseHTTPRequestHandler):
    calls: list[tuple[str, str, dict]] = []

    def _answer(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        self.calls.append((self.command, self.path, body))
        payload = json.dumps({"id": 555, "body": body["body"]}).encode()
        self.send_response(201 if self.command == "POST" else 200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_POST = do_PATCH = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def github(settings):
    _Comments.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Comments)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.GITHUB_API_URL = f"http://127.0.0.1:{server.server_port}"
    settings.GITHUB_TOKEN = "ghp_test"
    settings.GITHUB_TOKEN_REPOSITORIES = ["acme:acme/*"]
    settings.GITHUB_APP_ID = ""
    settings.TRIAGE_GITHUB_COMMENTS = True
    yield _Comments.calls
    server.shutdown()
    server.server_close()


def test_it_comments_once_and_edits_instead_of_repeating(acme, github):
    repository = make_repository(acme)
    analyse(make_pull_request(repository, 1, "Fix samefile"), PYTHON_FIX)
    second = make_pull_request(repository, 2, "Fix samefile as well", day=2)
    analyse(second, PYTHON_FIX)
    analyse(second, PYTHON_FIX)  # same verdict again: nothing to send
    assert [(method, path) for method, path, _ in github] == [("POST", "/repos/acme/rocket/issues/2/comments")]
    assert "#1" in github[0][2]["body"] and "`src/pkg/paths.py`" in github[0][2]["body"]
    assert GitHubNotice.objects.get().github_comment_id == 555
    first = second.repository.pull_requests.get(number=1)
    first.title = "Fix samefile on zero inodes"
    first.save()
    second.head_sha = "e" * 40  # a new push; the evidence now names the renamed #1
    second.save()
    analyse(second, PYTHON_FIX)
    analyse(make_pull_request(repository, 3, "Fix samefile, third take", day=3), PYTHON_FIX)
    assert [(method, path) for method, path, _ in github][1:] == [
        ("PATCH", "/repos/acme/rocket/issues/comments/555"),
        ("POST", "/repos/acme/rocket/issues/3/comments"),
    ]
    assert GitHubNotice.objects.get(pull_request=second).head_sha == "e" * 40


def test_it_stays_silent_below_same_change_and_when_disabled(acme, github, settings):
    repository = make_repository(acme)
    analyse(make_pull_request(repository, 1, "Fix samefile"), PYTHON_FIX)
    run = analyse(make_pull_request(repository, 2, "Tabs", day=2), UNRELATED)
    settings.TRIAGE_GITHUB_COMMENTS = False
    analyse(make_pull_request(repository, 3, "Fix samefile", day=3), PYTHON_FIX)
    assert github == [] and run.status == AnalysisRun.Status.DONE
