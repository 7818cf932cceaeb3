"""Periodic jobs of triage (collected by gitinsight.schedules)."""

from triage.failures.schedules import SCHEDULES

__all__ = ["SCHEDULES"]
