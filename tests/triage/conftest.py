"""Fixtures shared by the triage tests."""

from tests.triage.failures.fixtures import fake_actions, rocket  # noqa: F401 - fixtures
