"""django-q2 entry points: ids in, one service call, idempotent."""

from __future__ import annotations

from triage.failures.services import analyses as services
from triage.failures.services import fixes, monitoring, retention, reviews
from triage.failures.services.notifications import new_failure_notify


def check_run_analyse(check_run_id: int) -> int | None:
    analysis = services.check_run_analyse(check_run_id)
    if analysis is not None:
        new_failure_notify(analysis)
    return analysis.pk if analysis else None


def fix_attempt_rerun(attempt_id: int) -> str:
    return fixes.fix_attempt_rerun(attempt_id).status


def pull_request_reviews_refresh(pull_request_id: int) -> int:
    return len(reviews.pull_request_reviews_refresh(pull_request_id))


def failed_checks_monitor() -> int:
    return monitoring.failed_checks_enqueue()


def excerpts_expire() -> int:
    return services.excerpts_expire()


def analyses_expire() -> dict | None:
    """The daily schedule: analyses past CHECK_ANALYSIS_RETENTION_DAYS are archived and deleted."""
    return retention.analyses_expire()


def check_run_reanalyse(check_run_id: int) -> int | None:
    """Forced: a maintainer asked, e.g. after the log became available."""
    analysis = services.check_run_analyse(check_run_id, force=True)
    return analysis.pk if analysis else None
