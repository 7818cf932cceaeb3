"""Periodic jobs of triage (collected by gitinsight.schedules): those of failed-check analysis
and the retries of GitInsight's check runs; duplicate detection runs on signals and as an
analysis job."""

from triage.failures.schedules import SCHEDULES as FAILURES_SCHEDULES
from triage.verdicts.schedules import SCHEDULES as VERDICTS_SCHEDULES

SCHEDULES = [*FAILURES_SCHEDULES, *VERDICTS_SCHEDULES]

__all__ = ["SCHEDULES"]
