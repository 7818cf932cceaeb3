"""Periodic jobs of triage (collected by gitinsight.schedules): those of failed-check analysis;
duplicate detection runs on signals and as an analysis job."""

from triage.failures.schedules import SCHEDULES

__all__ = ["SCHEDULES"]
