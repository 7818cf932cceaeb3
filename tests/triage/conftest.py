"""Fixtures shared by the triage tests."""

from tests.triage.failures_fixtures import fake_actions, rocket  # noqa: F401 - fixtures
