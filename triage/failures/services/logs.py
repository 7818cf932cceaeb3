"""Fetching GitHub Actions logs as bytes.

`GitHubClient.get` decodes JSON; log endpoints answer a 302 to a plain-text file (one
job) or a zip archive (a whole run). We reuse the client's connection, credentials and
its rate-limit / retry decisions (`_recover`) so logs obey the same policy as the rest.
"""

from __future__ import annotations

from ingestion.models import Repository
from ingestion.services.github_api.auth import client_for_repository
from ingestion.services.github_api.client import GitHubClient
from triage.failures.core.logs_zip import JobLog, read_logs_zip
from triage.failures.core.logtext import decode_log


def get_bytes(client: GitHubClient, path: str) -> bytes:
    """GET `path` following redirects; the body as bytes. Raises GitHubApiError/GitHubNotFound."""
    return client.request("GET", path).raw_response.content


def post_no_content(client: GitHubClient, path: str) -> int:
    """POST `path` with no body (e.g. re-run failed jobs); GitHub's status code."""
    return client.request("POST", path).status_code


def job_log_text(repository: Repository, job_id: int) -> str:
    """The whole log of one Actions job (GitHub redirects to a short-lived plain-text URL)."""
    with client_for_repository(repository) as client:
        data = get_bytes(client, f"repos/{repository.full_name}/actions/jobs/{job_id}/logs")
    return decode_log(data)


def run_job_logs(repository: Repository, run_id: int) -> dict[str, JobLog]:
    """Every job log of one workflow run, read from the run's logs archive."""
    with client_for_repository(repository) as client:
        data = get_bytes(client, f"repos/{repository.full_name}/actions/runs/{run_id}/logs")
    return read_logs_zip(data)


def rerun_failed_jobs(repository: Repository, run_id: int) -> int:
    with client_for_repository(repository) as client:
        return post_no_content(client, f"repos/{repository.full_name}/actions/runs/{run_id}/rerun-failed-jobs")
