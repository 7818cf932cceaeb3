"""django-q2 entry points: ids in, one service call, idempotent."""

from __future__ import annotations

from gitinsight.database.tenant_scope import installation_wide, runs_in_organization_of
from ingestion.models import CheckRun, PullRequest
from triage.failures.models.analyses import FixAttempt
from triage.failures.services import analyses as services
from triage.failures.services import fixes, monitoring, retention, reviews
from triage.failures.services.notifications import new_failure_notify


@runs_in_organization_of(CheckRun)
def check_run_analyse(check_run_id: int) -> int | None:
    analysis = services.check_run_analyse(check_run_id)
    if analysis is not None:
        new_failure_notify(analysis)
    return analysis.pk if analysis else None


@runs_in_organization_of(FixAttempt)
def fix_attempt_rerun(attempt_id: int) -> str:
    return fixes.fix_attempt_rerun(attempt_id).status


@runs_in_organization_of(PullRequest)
def pull_request_reviews_refresh(pull_request_id: int) -> int:
    return len(reviews.pull_request_reviews_refresh(pull_request_id))


@installation_wide("lists the unanalysed failed checks of every organization and enqueues one analysis each")
def failed_checks_monitor() -> int:
    return monitoring.failed_checks_enqueue()


@installation_wide("retention, of every organization's excerpts")
def excerpts_expire() -> int:
    return services.excerpts_expire()


@installation_wide("retention, of every organization's analyses")
def analyses_expire() -> dict | None:
    """The daily schedule: analyses past CHECK_ANALYSIS_RETENTION_DAYS are archived and deleted."""
    return retention.analyses_expire()


@runs_in_organization_of(CheckRun)
def check_run_reanalyse(check_run_id: int) -> int | None:
    """Forced: a maintainer asked, e.g. after the log became available."""
    analysis = services.check_run_analyse(check_run_id, force=True)
    return analysis.pk if analysis else None
