"""What the fake GitHub keeps of the writes an App makes: check runs (create, update, list for a
ref, annotations), issue comments, and the App manifest conversion. Answers are GitHub's own
examples (`check-run`, `check-annotation-items`, `issue-comment`, `integration-from-manifest`)
with the written fields, and bodies are checked the way GitHub checks them (422 with GitHub's
message), so a client that sends something GitHub would refuse fails here too."""

from __future__ import annotations

import copy
import itertools
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tests.fakes.github_examples import example, iso

CONCLUSIONS = {"action_required", "cancelled", "failure", "neutral", "success", "skipped", "timed_out"}
STATUSES = {"queued", "in_progress", "completed", "waiting", "requested", "pending"}
ANNOTATION_LEVELS = {"notice", "warning", "failure"}
MAX_ANNOTATIONS_PER_REQUEST = 50
MAX_OUTPUT_CHARACTERS = 65535
MAX_ACTIONS = 3


class Unprocessable(Exception):
    """GitHub's 422 "Validation Failed"."""


@dataclass
class CheckRunWrite:
    """One create or update as the fake received it, with the time it arrived."""

    at: float
    method: str
    check_run_id: int
    body: dict


@dataclass
class Conversion:
    """What `POST /app-manifests/{code}/conversions` hands out once for `code`."""

    app_id: int
    slug: str
    pem: str
    webhook_secret: str = "whsec_fake_manifest_secret"
    client_id: str = "Iv1.fakemanifest"
    client_secret: str = "fake_manifest_client_secret"


@dataclass
class AppWrites:
    """The state behind the write endpoints; every method is safe from the server's threads."""

    app_id: int
    app_slug: str = "gitinsight"
    check_runs: dict[int, dict] = field(default_factory=dict)
    annotations: dict[int, list[dict]] = field(default_factory=dict)
    writes: list[CheckRunWrite] = field(default_factory=list)
    comments: dict[int, dict] = field(default_factory=dict)
    comment_writes: list[tuple[str, int, str]] = field(default_factory=list)
    manifest_codes: dict[str, Conversion] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(900_001))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- check runs -------------------------------------------------------------------
    def check_run_create(self, full_name: str, body: dict) -> dict:
        _check_run_body(body, creating=True)
        with self._lock:
            check_run_id = next(self._ids)
            run = example("check-run")
            owner, name = full_name.split("/")
            run.update(
                id=check_run_id, node_id=f"CR_{check_run_id}", head_sha=body["head_sha"], name=body["name"],
                external_id=body.get("external_id", ""), details_url=body.get("details_url", ""),
                url=f"https://api.github.com/repos/{full_name}/check-runs/{check_run_id}",
                html_url=f"https://github.com/{full_name}/runs/{check_run_id}",
                status=body.get("status", "queued"), conclusion=None, completed_at=None,
                started_at=body.get("started_at") or iso(datetime.now(tz=UTC)), pull_requests=[],
            )
            run["app"] = {**run["app"], "id": self.app_id, "slug": self.app_slug}
            run["check_suite"] = {"id": check_run_id + 1}
            run["output"] = {"title": None, "summary": None, "text": None, "annotations_count": 0,
                             "annotations_url": f"{run['url']}/annotations"}
            run["_repository"] = f"{owner}/{name}".lower()
            self.check_runs[check_run_id] = run
            self.annotations[check_run_id] = []
            self._apply(run, body)
            self.writes.append(CheckRunWrite(time.time(), "POST", check_run_id, copy.deepcopy(body)))
            return _public(run)

    def check_run_update(self, full_name: str, check_run_id: int, body: dict) -> dict:
        _check_run_body(body, creating=False)
        with self._lock:
            run = self.check_runs.get(check_run_id)
            if run is None or run["_repository"] != full_name.lower():
                raise LookupError(check_run_id)
            self._apply(run, body)
            self.writes.append(CheckRunWrite(time.time(), "PATCH", check_run_id, copy.deepcopy(body)))
            return _public(run)

    def check_run_get(self, full_name: str, check_run_id: int) -> dict:
        with self._lock:
            run = self.check_runs.get(check_run_id)
            if run is None or run["_repository"] != full_name.lower():
                raise LookupError(check_run_id)
            return _public(run)

    def check_runs_for_ref(self, full_name: str, ref: str, query: dict[str, str]) -> list[dict]:
        """`GET /commits/{ref}/check-runs` over the runs this fake holds (`check_name`,
        `status` and `app_id` filter as on GitHub)."""
        with self._lock:
            runs = [run for run in self.check_runs.values()
                    if run["_repository"] == full_name.lower() and run["head_sha"] == ref]
        if query.get("check_name"):
            runs = [run for run in runs if run["name"] == query["check_name"]]
        if query.get("status"):
            runs = [run for run in runs if run["status"] == query["status"]]
        if query.get("app_id"):
            runs = [run for run in runs if str(run["app"]["id"]) == query["app_id"]]
        return [_public(run) for run in sorted(runs, key=lambda run: -run["id"])]

    def check_run_annotations(self, full_name: str, check_run_id: int) -> list[dict]:
        self.check_run_get(full_name, check_run_id)
        with self._lock:
            return copy.deepcopy(self.annotations[check_run_id])

    def _apply(self, run: dict, body: dict) -> None:
        for key in ("name", "details_url", "external_id", "status", "conclusion", "started_at", "actions"):
            if key in body:
                run[key] = body[key]
        if body.get("conclusion"):
            run["status"] = "completed"
        if run["status"] == "completed":
            run["completed_at"] = body.get("completed_at") or run.get("completed_at") or iso(datetime.now(tz=UTC))
        output = body.get("output")
        if output:
            for key in ("title", "summary", "text"):
                if key in output:
                    run["output"][key] = output[key]
            # GitHub adds the annotations of every update to those the run already has.
            for item in output.get("annotations", []):
                annotation = example("check-annotation-items")[0]
                annotation.update({key: item.get(key) for key in (
                    "path", "start_line", "end_line", "annotation_level", "title", "message", "raw_details")})
                annotation["start_column"] = annotation["end_column"] = None
                self.annotations[run["id"]].append(annotation)
            run["output"]["annotations_count"] = len(self.annotations[run["id"]])

    def created_for(self, head_sha: str, name: str = "GitInsight") -> list[dict]:
        """Every check run named `name` created on `head_sha` (a second one is a duplicate)."""
        with self._lock:
            return [_public(run) for run in self.check_runs.values()
                    if run["head_sha"] == head_sha and run["name"] == name]

    # --- issue comments ---------------------------------------------------------------
    def comment_create(self, full_name: str, number: int, body: dict) -> dict:
        if not isinstance(body.get("body"), str) or not body["body"]:
            raise Unprocessable("body wasn't supplied.")
        with self._lock:
            comment_id = next(self._ids)
            comment = example("issue-comment")
            comment.update(id=comment_id, body=body["body"],
                           html_url=f"https://github.com/{full_name}/pull/{number}#issuecomment-{comment_id}",
                           issue_url=f"https://api.github.com/repos/{full_name}/issues/{number}")
            self.comments[comment_id] = comment
            self.comment_writes.append(("POST", comment_id, body["body"]))
            return copy.deepcopy(comment)

    def comment_update(self, comment_id: int, body: dict) -> dict:
        if not isinstance(body.get("body"), str) or not body["body"]:
            raise Unprocessable("body wasn't supplied.")
        with self._lock:
            if comment_id not in self.comments:
                raise LookupError(comment_id)
            self.comments[comment_id]["body"] = body["body"]
            self.comment_writes.append(("PATCH", comment_id, body["body"]))
            return copy.deepcopy(self.comments[comment_id])

    # --- App manifest -----------------------------------------------------------------
    def manifest_convert(self, code: str) -> dict:
        """The new App's credentials, handed out once per code, like GitHub's one-hour codes."""
        with self._lock:
            conversion = self.manifest_codes.pop(code, None)
        if conversion is None:
            raise LookupError(code)
        app = example("integration-from-manifest")
        app.update(id=conversion.app_id, slug=conversion.slug, name=conversion.slug, pem=conversion.pem,
                   webhook_secret=conversion.webhook_secret, client_id=conversion.client_id,
                   client_secret=conversion.client_secret, html_url=f"https://github.com/apps/{conversion.slug}")
        return app


def _public(run: dict) -> dict:
    return {key: copy.deepcopy(value) for key, value in run.items() if not key.startswith("_")}


def _check_run_body(body: dict, *, creating: bool) -> None:
    """Raise Unprocessable where GitHub answers 422 for a check run body."""
    if creating and not (isinstance(body.get("name"), str) and body["name"]):
        raise Unprocessable("name wasn't supplied.")
    if creating and not (isinstance(body.get("head_sha"), str) and len(body["head_sha"]) == 40):
        raise Unprocessable("head_sha wasn't supplied or is not a commit SHA.")
    if "status" in body and body["status"] not in STATUSES:
        raise Unprocessable(f"status {body['status']!r} is not included in the list")
    if "conclusion" in body and body["conclusion"] not in CONCLUSIONS:
        raise Unprocessable(f"conclusion {body['conclusion']!r} is not included in the list")
    if body.get("status") == "completed" and not body.get("conclusion"):
        raise Unprocessable("conclusion is required when status is completed")
    if len(body.get("actions") or []) > MAX_ACTIONS:
        raise Unprocessable("actions: no more than 3 actions")
    for action in body.get("actions") or []:
        if len(action.get("label", "")) > 20 or len(action.get("description", "")) > 40 or (
                len(action.get("identifier", "")) > 20):
            raise Unprocessable("actions: label 20, description 40 and identifier 20 characters at most")
    output = body.get("output")
    if output is None:
        return
    if not output.get("title") or not output.get("summary"):
        raise Unprocessable("output needs a title and a summary")
    for key in ("summary", "text"):
        if len(output.get(key) or "") > MAX_OUTPUT_CHARACTERS:
            raise Unprocessable(f"output.{key} is too long (maximum is {MAX_OUTPUT_CHARACTERS} characters)")
    annotations = output.get("annotations") or []
    if len(annotations) > MAX_ANNOTATIONS_PER_REQUEST:
        raise Unprocessable("output.annotations: no more than 50 annotations per request")
    for item in annotations:
        if not item.get("path") or not item.get("start_line") or not item.get("end_line") or not item.get("message"):
            raise Unprocessable("annotations need path, start_line, end_line and message")
        if item.get("annotation_level") not in ANNOTATION_LEVELS:
            raise Unprocessable("annotation_level must be notice, warning or failure")
