"""GitHub's own webhook examples (@octokit/webhooks-examples) aimed at acme/rocket."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from tests.triage.verdicts.fixtures import INSTALLATION, ROCKET_ID

EXAMPLES = Path(__file__).resolve().parents[3] / ".cache/octokit/webhooks-examples/api.github.com/index.json"


@cache
def _examples() -> dict[str, list[dict]]:
    return {entry["name"]: entry["examples"] for entry in json.loads(EXAMPLES.read_text())}


def webhook_example(event: str, action: str) -> dict:
    if not EXAMPLES.exists():
        pytest.skip(f"{EXAMPLES} is absent: run scripts/fetch_fixtures.sh")
    for payload in _examples()[event]:
        if payload.get("action") == action:
            return json.loads(json.dumps(payload))
    raise LookupError(f"no {event}.{action} example")


def on_rocket(payload: dict) -> dict:
    """The example as if it came from acme/rocket through the App installed on acme."""
    payload["repository"].update(id=ROCKET_ID, name="rocket", full_name="acme/rocket",
                                 html_url="https://github.com/acme/rocket")
    payload["repository"]["owner"].update(login="acme", type="Organization")
    payload["installation"] = {"id": INSTALLATION, "node_id": "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNTEwMQ=="}
    return payload


def pull_request_opened(number: int, head_sha: str, *, author: str = "octo") -> dict:
    payload = on_rocket(webhook_example("pull_request", "opened"))
    pull = payload["pull_request"]
    payload["number"] = number
    pull.update(id=ROCKET_ID * 1000 + number, number=number, title=f"Change {number}", state="open",
                html_url=f"https://github.com/acme/rocket/pull/{number}")
    pull["user"]["login"] = author
    pull["head"]["sha"] = head_sha
    pull["base"]["sha"] = "b" * 40
    pull["base"]["repo"] = pull["head"]["repo"] = payload["repository"]
    return payload


def check_run_requested_action(*, github_id: int, head_sha: str, number: int, identifier: str = "rerun",
                               by: str = "maintainer", external_id: str | None = None) -> dict:
    """A maintainer pressed a button on the check run `github_id` (GitHub's example, aimed at it)."""
    payload = on_rocket(webhook_example("check_run", "requested_action"))
    run = payload["check_run"]
    run.update(id=github_id, head_sha=head_sha, name="GitInsight", status="completed", conclusion="neutral",
               external_id=f"gitinsight:pull/{number}" if external_id is None else external_id,
               pull_requests=[], html_url=f"https://github.com/acme/rocket/runs/{github_id}")
    run["check_suite"].update(id=github_id + 1, head_sha=head_sha, pull_requests=[])
    payload["requested_action"] = {"identifier": identifier}
    payload["sender"]["login"] = by
    return payload
