from __future__ import annotations

from typing import Any

from ingestion.core.normalize.common import (
    PayloadError,
    login,
    normaliser,
    optional_int,
    required_int,
    sha,
    text,
    timestamp,
)


def _seconds_between(start, end) -> int | None:
    if start is None or end is None:
        return None
    return max(0, int((end - start).total_seconds()))


def pull_request_numbers(pull_requests: list | None) -> list[int]:
    """The numbers of the pull requests a check or run lists (forks' pull requests carry none)."""
    if not isinstance(pull_requests, list):
        return []
    return [optional_int(pr["number"]) for pr in pull_requests if isinstance(pr, dict) and pr.get("number") is not None]


@normaliser("check suite")
def check_suite_fields(data: dict) -> dict:
    app = data.get("app") or {}
    return {
        "github_id": required_int(data, "id", "check suite"),
        "head_sha": sha(data.get("head_sha"), "check suite head sha"),
        "head_branch": text(data.get("head_branch")),
        "status": text(data.get("status")),
        "conclusion": text(data.get("conclusion")),
        "app_slug": text(app.get("slug")),
        "app_github_id": optional_int(app.get("id")),
        "before_sha": sha(data.get("before"), "check suite before sha"),
        "after_sha": sha(data.get("after"), "check suite after sha"),
        "pull_request_numbers": pull_request_numbers(data.get("pull_requests")),
        "created_at": timestamp(data.get("created_at")),
        "updated_at": timestamp(data.get("updated_at")),
    }


@normaliser("check run")
def check_run_fields(data: dict) -> dict:
    """Check run JSON (REST `GET /commits/{sha}/check-runs` item, webhook `check_run`).
    GitHub has no logs URL for a check run; for Actions jobs the logs are the job's, so
    the job logs API path is derived from the html URL's job id."""
    output = data.get("output") or {}
    app = data.get("app") or {}
    return {
        "github_id": required_int(data, "id", "check run"),
        "external_id": text(data.get("external_id")),
        "name": text(data.get("name"))[:255],
        "head_sha": sha(data.get("head_sha"), "check run head sha"),
        "status": text(data.get("status")),
        "conclusion": text(data.get("conclusion")),
        "details_url": text(data.get("details_url")),
        "html_url": text(data.get("html_url")),
        "logs_url": _job_logs_url(data) if app.get("slug") == "github-actions" else "",
        "app_slug": text(app.get("slug")),
        "output_title": text(output.get("title")),
        "output_summary": text(output.get("summary")),
        "output_text": text(output.get("text")),
        "annotations_count": int(output.get("annotations_count") or 0),
        "pull_request_numbers": pull_request_numbers(data.get("pull_requests")),
        "started_at": timestamp(data.get("started_at")),
        "completed_at": timestamp(data.get("completed_at")),
    }


def _job_logs_url(data: dict) -> str:
    url = text(data.get("url"))
    marker = "/check-runs/"
    if marker not in url:
        return ""
    return url.replace(marker, "/actions/jobs/") + "/logs"


@normaliser("workflow run")
def workflow_run_fields(data: dict) -> dict:
    started = timestamp(data.get("run_started_at") or data.get("created_at"))
    updated = timestamp(data.get("updated_at"))
    return {
        "github_id": required_int(data, "id", "workflow run"),
        "workflow_github_id": optional_int(data.get("workflow_id")),
        "check_suite_github_id": optional_int(data.get("check_suite_id")),
        "name": text(data.get("name") or data.get("display_title"))[:255],
        "run_number": int(data.get("run_number") or 0),
        "run_attempt": int(data.get("run_attempt") or 1),
        "event": text(data.get("event")),
        "status": text(data.get("status")),
        "conclusion": text(data.get("conclusion")),
        "head_sha": sha(data.get("head_sha"), "workflow run head sha"),
        "head_branch": text(data.get("head_branch")),
        "actor_login": login(data.get("actor") or data.get("triggering_actor")),
        "html_url": text(data.get("html_url")),
        "logs_url": text(data.get("logs_url")),
        "duration_seconds": _seconds_between(started, updated) if data.get("status") == "completed" else None,
        "run_started_at": started,
        "created_at": timestamp(data.get("created_at")),
        "updated_at": updated,
    }


@normaliser("workflow job")
def workflow_job_fields(data: dict) -> dict:
    started = timestamp(data.get("started_at"))
    completed = timestamp(data.get("completed_at"))
    return {
        "github_id": required_int(data, "id", "workflow job"),
        "run_github_id": required_int(data, "run_id", "workflow job"),
        "run_attempt": int(data.get("run_attempt") or 1),
        "workflow_name": text(data.get("workflow_name")),
        "name": text(data.get("name"))[:255],
        "status": text(data.get("status")),
        "conclusion": text(data.get("conclusion")),
        "head_sha": sha(data.get("head_sha"), "workflow job head sha"),
        "head_branch": text(data.get("head_branch")),
        "html_url": text(data.get("html_url")),
        "runner_name": text(data.get("runner_name")),
        "labels": [text(label) for label in data.get("labels") or []],
        "steps": [
            {key: _step_value(step.get(key))
             for key in ("number", "name", "status", "conclusion", "started_at", "completed_at")}
            for step in data.get("steps") or []
        ],
        "started_at": started,
        "completed_at": completed,
        "duration_seconds": _seconds_between(started, completed),
    }


def _step_value(value: Any) -> Any:
    """A step's text as the database can hold it (no NUL); its number, or null, as sent."""
    if isinstance(value, dict | list):
        raise PayloadError(f"a workflow step's field is not text or a number: {value!r:.80}")
    return text(value) if isinstance(value, str) else value
