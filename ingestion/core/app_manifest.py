"""The GitHub App manifest GitInsight asks GitHub to create an App from (the permissions and
events it needs, its webhook and its redirect back), and the environment variables an operator
sets with the credentials GitHub hands back: GitInsight never stores them itself."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

PERMISSIONS = {
    "checks": "write",  # the one GitInsight check run per pull request head
    "pull_requests": "read",
    "issues": "read",
    "contents": "read",
    "metadata": "read",
    "actions": "read",  # failed jobs' logs
}
#: added when the operator wants the optional comment that mentions a pull request's author:
#: a pull request's conversation is an issue's, so GitHub lets an App comment there only with
#: write access to issues
AUTHOR_COMMENT_PERMISSIONS = {"issues": "write"}
EVENTS = [
    "pull_request", "push", "check_run", "check_suite", "workflow_run", "issues", "issue_comment", "milestone",
]
#: sent to every App whatever the manifest says; listed for the page, not in the manifest
ALWAYS_SENT = ["installation", "installation_repositories"]


def app_permissions(*, author_comment: bool = False) -> dict[str, str]:
    """What the App may do: only reads and its own check runs, unless the author's comment is wanted."""
    return {**PERMISSIONS, **(AUTHOR_COMMENT_PERMISSIONS if author_comment else {})}


def app_manifest(*, site_url: str, name: str, redirect_path: str, public: bool = False,
                 author_comment: bool = False) -> dict[str, Any]:
    """The manifest, for `site_url` (the address GitHub reaches GitInsight at); `author_comment`
    asks for what the optional comment to a pull request's author needs as well."""
    base = site_url.rstrip("/")
    return {
        "name": name,
        "url": base,
        "hook_attributes": {"url": f"{base}/webhooks/github", "active": True},
        "redirect_url": f"{base}{redirect_path}",
        "callback_urls": [f"{base}/accounts/github/login/callback/"],
        "setup_url": f"{base}/admin/",
        "public": public,
        "default_permissions": app_permissions(author_comment=author_comment),
        "default_events": list(EVENTS),
    }


def manifest_form_action(*, web_url: str, organization: str, state: str) -> str:
    """Where the browser posts the manifest: the organization's App settings, or the user's."""
    base = web_url.rstrip("/")
    where = f"/organizations/{quote(organization, safe='')}/settings/apps/new" if organization else "/settings/apps/new"
    return f"{base}{where}?state={quote(state, safe='')}"


@dataclass(frozen=True)
class AppCredentials:
    """What GitHub's manifest conversion hands out once."""

    app_id: int
    slug: str
    html_url: str
    pem: str
    webhook_secret: str
    client_id: str
    client_secret: str

    @classmethod
    def from_conversion(cls, data: dict[str, Any]) -> AppCredentials:
        return cls(app_id=int(data["id"]), slug=str(data.get("slug") or ""), html_url=str(data.get("html_url") or ""),
                   pem=str(data.get("pem") or ""), webhook_secret=str(data.get("webhook_secret") or ""),
                   client_id=str(data.get("client_id") or ""), client_secret=str(data.get("client_secret") or ""))

    @property
    def install_url(self) -> str:
        return f"{self.html_url.rstrip('/')}/installations/new" if self.html_url else ""

    def environment(self) -> list[tuple[str, str, str]]:
        """(variable, value, what it is for), in the order an operator sets them."""
        return [
            ("GITHUB_APP_ID", str(self.app_id), "the App's id: installation tokens and check runs"),
            ("GITHUB_APP_PRIVATE_KEY", self.pem, "the App's private key (PEM), signs its token requests"),
            ("GITHUB_WEBHOOK_SECRET", self.webhook_secret, "verifies the App's webhook deliveries"),
            ("GITHUB_OAUTH_CLIENT_ID", self.client_id, "sign in with GitHub through the App"),
            ("GITHUB_OAUTH_CLIENT_SECRET", self.client_secret, "sign in with GitHub through the App"),
        ]

    def env_file(self) -> str:
        """The same as lines of an environment file (quoted for a shell, the key's newlines as \\n)."""
        return "\n".join(f"{name}={shlex.quote(value.replace(chr(10), chr(92) + 'n'))}"
                         for name, value, _ in self.environment()) + "\n"


def manifest_json(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, sort_keys=True)
