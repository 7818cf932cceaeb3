"""The demo's sample pack (workspace/demo_pack/): generated pull requests, reviews, issues,
milestones and check runs for GitInsight's own repository, turned into the payloads GitHub
sends (the shape of GitHub's webhook examples) and processed by the same webhook handlers
as real deliveries. The pull requests' commits are real commits of GitInsight's history, so
their diffs come from the local clone; everything else in the pack is invented and says so.

Dates in the pack are relative ("created 6 days ago"), so a fresh demo always has a
milestone due soon. Delivery ids are fixed, so loading the pack twice stores nothing twice."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from django.utils import timezone

from ingestion.models import WebhookDelivery
from ingestion.services.webhooks.processing import delivery_process

PACK = Path(__file__).resolve().parents[1] / "demo_pack"
GENERATED_NOTE = "Generated for the GitInsight demo; not a real {what}."
DEMO_CI = {"id": 990200001, "slug": "demo-ci", "name": "Demo CI (generated)"}


@dataclass(frozen=True)
class PackDelivery:
    delivery_id: str
    event: str
    action: str
    payload: dict


@dataclass(frozen=True)
class PackSummary:
    stored: int
    processed: int
    failed: list[str]


@cache
def pack_scenario() -> dict:
    return json.loads((PACK / "scenario.json").read_text())


def pack_full_name() -> str:
    repository = pack_scenario()["repository"]
    return f"{repository['owner']}/{repository['name']}"


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class _Builder:
    """Octokit-shaped payloads for one scenario at one moment (`now`)."""

    def __init__(self, scenario: dict, now: datetime) -> None:
        self.scenario, self.now = scenario, now.replace(microsecond=0)
        meta = scenario["repository"]
        self.full_name = f"{meta['owner']}/{meta['name']}"
        self.html = f"https://github.com/{self.full_name}"
        self.api = f"https://api.github.com/repos/{self.full_name}"

    def ago(self, days: float | None) -> datetime | None:
        return None if days is None else self.now - timedelta(days=days)

    def user(self, login: str) -> dict:
        return {"login": login, "id": self.scenario["people"][login],
                "type": "Bot" if login.endswith("[bot]") else "User",
                "html_url": f"https://github.com/{login}", "site_admin": False}

    def repository(self) -> dict:
        meta = self.scenario["repository"]
        return {
            "id": meta["id"], "name": meta["name"], "full_name": self.full_name,
            "owner": {"login": meta["owner"], "id": meta["id"] + 1, "type": "Organization"},
            "private": False, "html_url": self.html, "description": meta["description"],
            "fork": False, "url": self.api, "clone_url": f"{self.html}.git",
            "default_branch": meta["default_branch"], "language": meta["language"],
        }

    def milestone(self, number: int) -> dict:
        entry = next(m for m in self.scenario["milestones"] if m["number"] == number)
        issues = [i for i in self.scenario["issues"] if i.get("milestone") == number]
        closed = sum(1 for issue in issues if issue.get("closed_days_ago") is not None)
        return {
            "id": self.scenario["repository"]["id"] * 10 + number, "number": number,
            "title": entry["title"], "description": entry["description"], "state": "open",
            "creator": self.user("lin-demo"), "open_issues": len(issues) - closed, "closed_issues": closed,
            "html_url": f"{self.html}/milestone/{number}",
            "created_at": _iso(self.ago(entry["created_days_ago"])),
            "updated_at": _iso(self.now), "closed_at": None,
            "due_on": _iso((self.now + timedelta(days=entry["due_in_days"])).replace(hour=7, minute=0, second=0)),
        }

    def issue(self, entry: dict) -> dict:
        closed = self.ago(entry.get("closed_days_ago"))
        body = entry.get("body", "")
        return {
            "id": self.scenario["repository"]["id"] * 1000 + entry["number"], "number": entry["number"],
            "title": entry["title"], "body": f"{body}\n\n{GENERATED_NOTE.format(what='issue')}".strip(),
            "state": "closed" if closed else "open", "state_reason": "completed" if closed else None,
            "user": self.user(entry["author"]), "labels": [{"name": name} for name in entry.get("labels", [])],
            "assignees": [], "milestone": self.milestone(entry["milestone"]) if entry.get("milestone") else None,
            "comments": 0, "locked": False, "html_url": f"{self.html}/issues/{entry['number']}",
            "created_at": _iso(self.ago(entry["created_days_ago"])), "updated_at": _iso(closed or self.now),
            "closed_at": _iso(closed),
        }

    def pull_request(self, entry: dict) -> dict:
        merged = self.ago(entry.get("merged_days_ago"))
        head_owner = entry["author"] if entry.get("fork") else self.scenario["repository"]["owner"]
        return {
            "id": self.scenario["repository"]["id"] * 1000 + entry["number"], "number": entry["number"],
            "url": f"{self.api}/pulls/{entry['number']}", "html_url": f"{self.html}/pull/{entry['number']}",
            "state": "closed" if merged else "open", "draft": bool(entry.get("draft")), "locked": False,
            "title": entry["title"], "body": f"{entry['body']}\n\n{GENERATED_NOTE.format(what='pull request')}",
            "user": self.user(entry["author"]),
            "author_association": "NONE" if entry["author"].endswith("[bot]") else "CONTRIBUTOR",
            "labels": [], "assignees": [], "requested_reviewers": [], "requested_teams": [],
            "milestone": self.milestone(entry["milestone"]) if entry.get("milestone") else None,
            "head": {"ref": entry["branch"], "sha": entry["head"],
                     "repo": {"full_name": f"{head_owner}/{self.scenario['repository']['name']}"}},
            "base": {"ref": self.scenario["repository"]["default_branch"], "sha": entry["base"],
                     "repo": {"full_name": self.full_name}},
            "merged": bool(merged), "merged_at": _iso(merged), "merge_commit_sha": entry["head"] if merged else None,
            "merged_by": self.user("lin-demo") if merged else None,
            "created_at": _iso(self.ago(entry["created_days_ago"])), "updated_at": _iso(merged or self.now),
            "closed_at": _iso(merged),
        }

    def review(self, entry: dict, review: dict, index: int) -> dict:
        return {
            "id": self.scenario["repository"]["id"] * 100000 + entry["number"] * 10 + index,
            "user": self.user(review["author"]), "body": review["body"], "state": review["state"],
            "commit_id": entry["head"], "author_association": "MEMBER",
            "html_url": f"{self.html}/pull/{entry['number']}#pullrequestreview-{index}",
            "submitted_at": _iso(self.ago(review["days_ago"])),
        }

    def check_run(self, *, check_id: int, name: str, head_sha: str, conclusion: str, log: str | None,
                  pull_requests: list[dict], finished: datetime) -> dict:
        text = (PACK / "logs" / log).read_text() if log else None
        return {
            "id": check_id, "head_sha": head_sha, "external_id": "", "name": name,
            "url": f"{self.api}/check-runs/{check_id}", "html_url": f"{self.html}/runs/{check_id}",
            "details_url": "", "status": "completed", "conclusion": conclusion,
            "started_at": _iso(finished - timedelta(minutes=5)), "completed_at": _iso(finished),
            "output": {
                "title": f"{name} {'failed' if conclusion == 'failure' else 'passed'} (generated)",
                "summary": GENERATED_NOTE.format(what="CI run"), "text": text,
                "annotations_count": 0,
            },
            "app": {"id": DEMO_CI["id"], "slug": DEMO_CI["slug"], "name": DEMO_CI["name"]},
            "pull_requests": [
                {"number": pr["number"], "head": {"ref": pr["branch"], "sha": pr["head"]},
                 "base": {"ref": "main", "sha": pr["base"]}}
                for pr in pull_requests
            ],
        }


def pack_deliveries(*, now: datetime | None = None) -> list[PackDelivery]:
    """The pack as deliveries, in the order GitHub would have sent them."""
    scenario = pack_scenario()
    build = _Builder(scenario, now or timezone.now())
    base = {"repository": build.repository(), "sender": build.user("lin-demo")}
    deliveries: list[PackDelivery] = []

    def add(key: str, event: str, action: str, **parts: dict) -> None:
        deliveries.append(PackDelivery(f"demo-pack-{key}", event, action, base | parts))

    for milestone in scenario["milestones"]:
        add(f"milestone-{milestone['number']}", "milestone", "created", milestone=build.milestone(milestone["number"]))
    for entry in scenario["issues"]:
        issue = build.issue(entry)
        add(f"issue-{entry['number']}", "issues", "closed" if issue["state"] == "closed" else "opened", issue=issue)
    pull_requests = scenario["pull_requests"]
    for entry in pull_requests:
        pull_request = build.pull_request(entry)
        add(f"pull-{entry['number']}", "pull_request", "closed" if pull_request["merged"] else "opened",
            pull_request=pull_request)
        for index, review in enumerate(entry.get("reviews", []), start=1):
            add(f"review-{entry['number']}-{index}", "pull_request_review", "submitted",
                pull_request=pull_request, review=build.review(entry, review, index))
    check_id = scenario["repository"]["id"] * 10
    seen: set[tuple[str, str]] = set()
    for entry in pull_requests:
        for check in entry.get("checks", []):
            if (entry["head"], check["name"]) in seen:
                continue  # a check run belongs to a commit, and lists every pull request of that commit
            seen.add((entry["head"], check["name"]))
            check_id += 1
            sharing = [pr for pr in pull_requests if pr["head"] == entry["head"]]
            finished = build.ago(min(pr["created_days_ago"] for pr in sharing) - 0.05)
            add(f"check-{entry['head'][:12]}-{check['name']}", "check_run", "completed", check_run=build.check_run(
                check_id=check_id, name=check["name"], head_sha=entry["head"], conclusion=check["conclusion"],
                log=check.get("log"), pull_requests=sharing, finished=finished))
    for sha in sorted({entry["base"] for entry in pull_requests}):
        for name in scenario["base_checks"]["names"]:
            if (sha, name) in seen:
                continue  # the base is also a pull request's head: its own check run stands
            seen.add((sha, name))
            check_id += 1
            add(f"check-{sha[:12]}-{name}", "check_run", "completed", check_run=build.check_run(
                check_id=check_id, name=name, head_sha=sha, conclusion=scenario["base_checks"]["conclusion"],
                log=None, pull_requests=[], finished=build.ago(14)))
    return deliveries


def pack_load(*, now: datetime | None = None) -> PackSummary:
    """Store each delivery of the pack that is not stored yet and process it like a webhook
    delivery. The repository must already exist in the organization that should own it
    (the payload speaks for the organization named like its owner)."""
    stored = processed = 0
    failed = []
    for delivery in pack_deliveries(now=now):
        row, created = WebhookDelivery.objects.get_or_create(
            delivery_id=delivery.delivery_id,
            defaults={"event": delivery.event, "action": delivery.action, "payload": delivery.payload,
                      "payload_sha256": "", "repository_github_id": delivery.payload["repository"]["id"]},
        )
        stored += created
        if row.status == WebhookDelivery.Status.RECEIVED:
            status = delivery_process(delivery_id=row.pk)
            processed += 1
            if status != WebhookDelivery.Status.PROCESSED:
                failed.append(delivery.delivery_id)
    return PackSummary(stored=stored, processed=processed, failed=failed)
