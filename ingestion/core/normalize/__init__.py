"""One function per GitHub entity: GitHub JSON (webhook payload, REST response or GH
Archive event; they share shapes) -> model field dicts. No database access here; the
upserts that store these dicts live in `ingestion.services`."""

from ingestion.core.normalize.check_runs import (
    check_run_fields,
    check_suite_fields,
    workflow_job_fields,
    workflow_run_fields,
)
from ingestion.core.normalize.commit import commit_fields, commit_file_fields
from ingestion.core.normalize.common import PayloadError
from ingestion.core.normalize.issue import issue_fields, milestone_fields
from ingestion.core.normalize.names import InvalidFullName, full_name_check, full_name_valid
from ingestion.core.normalize.pull_request import pull_request_fields, pull_request_file_fields, pull_request_state
from ingestion.core.normalize.repository import installation_fields, repository_fields
from ingestion.core.normalize.review import comment_fields, review_fields

__all__ = [
    "InvalidFullName",
    "PayloadError",
    "check_run_fields",
    "check_suite_fields",
    "comment_fields",
    "commit_fields",
    "commit_file_fields",
    "full_name_check",
    "full_name_valid",
    "installation_fields",
    "issue_fields",
    "milestone_fields",
    "pull_request_fields",
    "pull_request_file_fields",
    "pull_request_state",
    "repository_fields",
    "review_fields",
    "workflow_job_fields",
    "workflow_run_fields",
]
