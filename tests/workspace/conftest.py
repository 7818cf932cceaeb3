"""A buggy git history ingested as acme/demo (and trained on): the fixtures of tests/analysis."""

from tests.analysis.conftest import demo, history, trained  # noqa: F401 - fixtures
