"""No second check run for a head: not when GitHub delivers a webhook again, nor when several
workers publish the same head at once (real connections, one per thread, committed)."""

import json
import threading

import pytest
from django.db import connection

from gitinsight.database.tenant_scope import system_scope
from ingestion.core.webhook_signature import signature_for
from ingestion.services.webhooks.intake import delivery_receive
from tests.triage.verdicts.fixtures import pull_request, sha
from tests.triage.verdicts.payloads import pull_request_opened
from triage.verdicts.models import CheckRunPost, PullRequestCheckRun
from triage.verdicts.services.publishing import check_run_publish

THREADS = 8
SECRET = "test-webhook-secret"
pytestmark = pytest.mark.django_db(transaction=True)


def race(target, count: int = THREADS) -> None:
    barrier = threading.Barrier(count)
    errors = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            # A new thread starts with no scope; each runs as a job of the webhook intake would.
            with system_scope():
                target(index)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def test_redelivered_webhooks_make_one_check_run(github, rocket, check_runs_on, settings):
    settings.GITHUB_WEBHOOK_SECRET = SECRET
    body = json.dumps(pull_request_opened(9, sha(9))).encode()

    def deliver(index: int) -> None:
        # Half of them are GitHub's redelivery of one delivery, half new deliveries of the same event.
        delivery_receive(body=body, event="pull_request", delivery_id=f"d-{index % 2 or index}",
                         signature=signature_for(SECRET, body), secret=SECRET)

    race(deliver)
    created = github.app.created_for(sha(9))
    assert len(created) == 1 and [write.method for write in github.app.writes].count("POST") == 1
    assert PullRequestCheckRun.objects.get().github_id == created[0]["id"]
    # The duplicate analysis found no diff on the fake: the check run completed saying so.
    assert created[0]["status"] == "completed" and "could not read" in created[0]["output"]["summary"]


def test_workers_publishing_one_head_at_once_create_it_once(github, rocket, check_runs_on):
    pr = pull_request(rocket, 11)
    race(lambda index: check_run_publish(pull_request_id=pr.pk, head_sha=pr.head_sha))
    assert len(github.app.created_for(pr.head_sha)) == 1
    assert [write.method for write in github.app.writes] == ["POST"]  # the others found nothing new to say
    assert CheckRunPost.objects.filter(action="create").count() == 1
