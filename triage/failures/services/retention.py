"""How long failed-check analyses stay (table `analysis_results`, archived when old),
run daily: analyses (with their fix attempts) created more than
CHECK_ANALYSIS_RETENTION_DAYS ago; 0 keeps them forever. A confirmed root cause outlives
the analysis it was confirmed on (its example is kept, the link cleared)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from gitinsight.database.retention import retention_days_checked, rows_expire
from triage.failures.models.analyses import CheckFailureAnalysis

# Attribution reads the fingerprints of earlier failures (flaky within days, known
# failures for weeks).
MIN_ANALYSIS_DAYS = 30


def analyses_expire(*, now: datetime | None = None) -> dict | None:
    days = retention_days_checked("CHECK_ANALYSIS_RETENTION_DAYS", minimum=MIN_ANALYSIS_DAYS)
    if not days:
        return None
    old = CheckFailureAnalysis.objects.filter(created_at__lt=(now or timezone.now()) - timedelta(days=days))
    return rows_expire(old, label="check_failure_analyses").as_dict()
