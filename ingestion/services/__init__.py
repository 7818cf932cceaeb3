"""Writes of the ingestion app. Every GitHub entity has one upsert keyed by GitHub's id;
REST backfill, webhooks and GH Archive all call these."""

from ingestion.services.check_runs import check_run_upsert, check_suite_upsert, workflow_job_upsert, workflow_run_upsert
from ingestion.services.commits import commit_upsert, commits_upsert
from ingestion.services.issues import issue_delete, issue_upsert, milestone_mark_deleted, milestone_upsert
from ingestion.services.pull_requests import (
    pull_request_commits_replace,
    pull_request_files_replace,
    pull_request_upsert,
)
from ingestion.services.repositories import (
    RepositoryTenantConflict,
    installation_upsert,
    organization_for_login,
    repository_name_release,
    repository_refresh,
    repository_upsert,
)
from ingestion.services.reviews import comment_mark_deleted, comment_upsert, review_upsert
from ingestion.services.rows import UpsertConflict, Upserted, UpsertRefused, row_upsert

__all__ = [
    "RepositoryTenantConflict",
    "UpsertConflict",
    "UpsertRefused",
    "Upserted",
    "check_run_upsert",
    "check_suite_upsert",
    "comment_mark_deleted",
    "comment_upsert",
    "commit_upsert",
    "commits_upsert",
    "installation_upsert",
    "issue_delete",
    "issue_upsert",
    "milestone_mark_deleted",
    "milestone_upsert",
    "organization_for_login",
    "pull_request_commits_replace",
    "pull_request_files_replace",
    "pull_request_upsert",
    "repository_name_release",
    "repository_refresh",
    "repository_upsert",
    "review_upsert",
    "row_upsert",
    "workflow_job_upsert",
    "workflow_run_upsert",
]
