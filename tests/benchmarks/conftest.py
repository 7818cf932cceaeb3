"""The benchmarks measure the product, so their tests borrow the product's fixtures: a buggy git
history ingested as acme/demo (tests/analysis), GitHub's example payloads (tests/ingestion) and
a repository with failed Actions jobs (tests/triage)."""

from tests.analysis.conftest import demo, history, trained  # noqa: F401 - fixtures
from tests.ingestion.conftest import examples, github, webhook_secret  # noqa: F401 - fixtures
from tests.triage.failures.fixtures import fake_actions, rocket  # noqa: F401 - fixtures
