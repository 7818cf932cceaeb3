from __future__ import annotations

from decimal import Decimal

from ingestion.core.normalize.common import (
    label_names,
    login,
    logins,
    normaliser,
    required_int,
    text,
    timestamp,
    user_id,
)


@normaliser("issue")
def issue_fields(data: dict) -> dict:
    """Issue JSON (REST, webhook `issue`, GH Archive IssuesEvent) -> Issue fields,
    milestone excluded. GitHub lists pull requests as issues too; `is_pull_request`
    records that."""
    return {
        "github_id": required_int(data, "id", "issue"),
        "number": required_int(data, "number", "issue"),
        "title": text(data.get("title"))[:1000],
        "body": text(data.get("body")),
        "state": "closed" if data.get("state") == "closed" else "open",
        "state_reason": text(data.get("state_reason")),
        "labels": label_names(data.get("labels")),
        "assignees": logins(data.get("assignees")) or logins([data.get("assignee")] if data.get("assignee") else []),
        "author_login": login(data.get("user")),
        "author_github_id": user_id(data.get("user")),
        "html_url": text(data.get("html_url")),
        "locked": bool(data.get("locked")),
        "comments_count": int(data.get("comments") or 0),
        "is_pull_request": "pull_request" in data,
        "closed_by_login": login(data.get("closed_by")),
        "created_at": timestamp(data.get("created_at")),
        "updated_at": timestamp(data.get("updated_at")),
        "closed_at": timestamp(data.get("closed_at")),
    }


@normaliser("milestone")
def milestone_fields(data: dict) -> dict:
    """Milestone JSON (REST, webhook `milestone`, the `milestone` inside an issue or pull
    request) -> Milestone fields, with the derived total and completion."""
    open_issues = int(data.get("open_issues") or 0)
    closed_issues = int(data.get("closed_issues") or 0)
    total = open_issues + closed_issues
    completion = (Decimal(closed_issues) * 100 / total).quantize(Decimal("0.01")) if total else Decimal("0.00")
    return {
        "github_id": required_int(data, "id", "milestone"),
        "number": required_int(data, "number", "milestone"),
        "title": text(data.get("title"))[:255],
        "description": text(data.get("description")),
        "state": "closed" if data.get("state") == "closed" else "open",
        "creator_login": login(data.get("creator")),
        "html_url": text(data.get("html_url")),
        "due_on": timestamp(data.get("due_on")),
        "open_issues": open_issues,
        "closed_issues": closed_issues,
        "total_issues": total,
        "completion_percentage": completion,
        "created_at": timestamp(data.get("created_at")),
        "updated_at": timestamp(data.get("updated_at")),
        "closed_at": timestamp(data.get("closed_at")),
    }
