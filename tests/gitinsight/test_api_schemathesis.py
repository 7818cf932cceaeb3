"""The API against its own OpenAPI schema (/api/schema/): schemathesis generates requests
for every operation, valid and not, sent with an admin key of an organization that has
data (GitHub's example deliveries). No request may end in a 500, and
every answer matches the schema's description of it."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from gitinsight.models import Membership, Organization
from ingestion.models import Repository
from tests.conftest import key_client
from tests.ingestion.conftest import examples, github, webhook_secret  # noqa: F401 - fixtures

CHECKS = [not_a_server_error, response_schema_conformance]
EVENTS = [("installation", "created"), ("pull_request", "opened"), ("pull_request_review", "submitted"),
          ("issues", "opened"), ("issue_comment", "created"), ("milestone", "created"), ("push", None),
          ("check_suite", "completed"), ("check_run", "completed"), ("workflow_run", "completed")]


@pytest.fixture
def owner_key(request, alice, settings) -> str:
    """An admin key of alice, owner of the organization GitHub's examples belong to."""
    settings.API_KEY_MAX_RATE_LIMIT = 1_000_000  # thousands of generated requests
    sender, payloads = request.getfixturevalue("github"), request.getfixturevalue("examples")
    for event, action in EVENTS:
        payload = next(p for p in payloads[event] if action is None or p.get("action") == action)
        sender.send(event, payload)
    for organization in Organization.objects.filter(repositories__in=Repository.objects.all()).distinct():
        Membership.objects.get_or_create(organization=organization, user=alice,
                                         defaults={"role": Membership.Role.OWNER})
    client = key_client(alice, "admin", rate_limit=1_000_000)
    return client._credentials["HTTP_AUTHORIZATION"]


@pytest.fixture
def wsgi_in_test_transaction():
    """The WSGI handler closes the database connection after each request; the test
    client does not (the test's transaction lives on it), so neither may this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_generated_request_is_a_server_error(owner_key, wsgi_in_test_transaction):
    # schemathesis' pytest loaders read `request.node._nodeid`, which pytest 9 removed:
    # the operations are run here one by one instead, each with its own Hypothesis run.
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_in_test_transaction)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    for operation in operations:
        strategy = st.one_of(*(operation.as_strategy(mode) for mode in GenerationMode))

        @settings(max_examples=10, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def run(case):
            case.call_and_validate(headers={"Authorization": owner_key}, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as failure:
            failures.append(f"{operation.label}: {failure}")
    assert not failures, "\n\n".join(failures)[:20000]
