"""A loopback HTTP server that answers GitHub's OAuth token and user endpoints the way
github.com and api.github.com do (shapes from GitHub's REST documentation)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

GITHUB_USER = {
    "login": "octocat",
    "id": 583231,
    "node_id": "MDQ6VXNlcjU4MzIzMQ==",
    "avatar_url": "https://avatars.githubusercontent.com/u/583231?v=4",
    "html_url": "https://github.com/octocat",
    "type": "User",
    "site_admin": False,
    "name": "The Octocat",
    "company": "@github",
    "blog": "https://github.blog",
    "location": "San Francisco",
    "email": None,
    "bio": "Mascot",
    "public_repos": 8,
    "followers": 20000,
    "following": 9,
    "created_at": "2011-01-25T18:44:36Z",
    "updated_at": "2024-01-22T12:00:00Z",
}
GITHUB_EMAILS = [{"email": "octocat@github.com", "verified": True, "primary": True, "visibility": "public"}]


class FakeGitHub:
    def __init__(self, *, code: str = "the-code", token: str = "gho_fake_token") -> None:  # noqa: S107
        self.code = code
        self.token = token
        self.requests: list[tuple[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _json(self, status: int, body) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                fake.requests.append(("POST", self.path))
                if self.path == "/login/oauth/access_token" and form.get("code") == [fake.code]:
                    token = {"access_token": fake.token, "token_type": "bearer", "scope": "read:user,user:email"}
                    self._json(200, token)
                else:
                    self._json(200, {"error": "bad_verification_code", "error_description": "The code is incorrect."})

            def do_GET(self) -> None:
                fake.requests.append(("GET", self.path))
                if self.headers.get("Authorization") != f"token {fake.token}":
                    self._json(401, {"message": "Bad credentials"})
                elif self.path == "/user":
                    self._json(200, GITHUB_USER)
                elif self.path == "/user/emails":
                    self._json(200, GITHUB_EMAILS)
                else:
                    self._json(404, {"message": "Not Found"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeGitHub:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def sign_in_with_github(client, fake: FakeGitHub, code: str = "the-code"):
    """The browser's round trip: our login URL, GitHub's authorize page, our callback."""
    from urllib.parse import parse_qs, urlparse

    start = client.post("/accounts/github/login/?process=login")
    assert start.status_code == 302
    authorize = urlparse(start["Location"])
    assert authorize.path == "/login/oauth/authorize"
    state = parse_qs(authorize.query)["state"][0]
    return client.get("/accounts/github/login/callback/", {"code": code, "state": state})
