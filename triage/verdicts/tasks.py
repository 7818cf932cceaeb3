"""django-q2 entry points: ids in, one service call, safe to run twice."""

from __future__ import annotations

from gitinsight.database.tenant_scope import installation_wide, runs_in_organization_of
from ingestion.models import PullRequest, Repository
from triage.duplicates.services.runs import analysis_run_create, analysis_run_execute
from triage.failures.models.analyses import CheckFailureAnalysis
from triage.verdicts.selectors import check_runs_enabled
from triage.verdicts.services.author import notify_author_attempts_skip
from triage.verdicts.services.heads import pull_request_head_process
from triage.verdicts.services.publishing import check_run_publish, check_run_supersede, check_runs_retry
from triage.verdicts.services.rerun import check_run_rerun


@runs_in_organization_of(PullRequest)
def pull_request_head_task(pull_request_id: int, head_sha: str, previous_head_sha: str | None = None) -> str:
    row = pull_request_head_process(pull_request_id=pull_request_id, head_sha=head_sha,
                                    previous_head_sha=previous_head_sha)
    return row.status if row else "no check run"


@runs_in_organization_of(PullRequest)
def check_run_publish_task(pull_request_id: int, head_sha: str) -> str:
    row = check_run_publish(pull_request_id=pull_request_id, head_sha=head_sha)
    return row.status if row else "off"


@runs_in_organization_of(PullRequest)
def check_run_supersede_task(pull_request_id: int, head_sha: str, new_head_sha: str) -> str:
    row = check_run_supersede(pull_request_id=pull_request_id, head_sha=head_sha, new_head_sha=new_head_sha)
    return row.conclusion if row else "off"


@runs_in_organization_of(CheckFailureAnalysis)
def failure_analysed_task(analysis_id: int) -> str:
    """A failed check of a head was analysed: its check run says so, or, where check runs are
    off, its "notify the author" attempt says that nothing was sent."""
    analysis = CheckFailureAnalysis.objects.select_related("check_run__repository").filter(pk=analysis_id).first()
    if analysis is None or analysis.pull_request_id is None:
        return "no pull request"
    if not check_runs_enabled(analysis.check_run.repository):
        notify_author_attempts_skip(analysis_id=analysis_id,
                                    reason="GitInsight's check runs are off for this repository: nothing was sent")
        return "off"
    return check_run_publish_task(analysis.pull_request_id, analysis.head_sha)


@runs_in_organization_of(PullRequest)
def duplicates_rerun_task(pull_request_id: int, head_sha: str) -> str:
    """A new duplicate analysis of the head, even if one finished (a maintainer asked)."""
    pull_request = PullRequest.objects.select_related("repository").get(pk=pull_request_id)
    run = analysis_run_execute(run=analysis_run_create(pull_request=pull_request, head_sha=head_sha))
    return run.status


@runs_in_organization_of(Repository)
def check_run_rerun_task(repository_id: int, check_run_github_id: int, identifier: str, requested_by: str) -> str:
    row = check_run_rerun(repository_id=repository_id, check_run_github_id=check_run_github_id,
                          identifier=identifier, requested_by=requested_by)
    return row.status if row else "not ours"


@installation_wide("lists the check runs due of every organization; each is posted in its own scope")
def check_runs_retry_task() -> int:
    return check_runs_retry()
