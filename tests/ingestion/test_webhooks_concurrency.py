"""Deliveries racing each other on real connections (one per thread, committed)."""

import json
import threading

import pytest
from django.db import connection

from ingestion.core.webhook_signature import signature_for
from ingestion.models import PullRequest, PullRequestStateHistory, Repository, WebhookDelivery
from ingestion.services.webhooks.intake import delivery_receive
from tests.ingestion.conftest import SECRET, example

THREADS = 8


def race(target, count: int) -> list:
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = target(index)
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
    return results


def receive(body: bytes, delivery_id: str):
    return delivery_receive(
        body=body,
        event="pull_request",
        delivery_id=delivery_id,
        signature=signature_for(SECRET, body),
        secret=SECRET,
    )


@pytest.mark.django_db(transaction=True)
def test_the_same_delivery_from_many_threads_makes_one_set_of_rows(examples):
    body = json.dumps(example(examples, "pull_request", "opened")).encode()
    results = race(lambda index: receive(body, "same-delivery"), THREADS)
    assert sorted(result.duplicate for result in results) == [False] + [True] * (THREADS - 1)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("PROCESSED", 1)
    assert (Repository.objects.count(), PullRequest.objects.count(), PullRequestStateHistory.objects.count()) == (
        1,
        1,
        1,
    )


@pytest.mark.django_db(transaction=True)
def test_different_deliveries_of_one_pull_request_make_one_pull_request(examples):
    body = json.dumps(example(examples, "pull_request", "opened")).encode()
    race(lambda index: receive(body, f"delivery-{index}"), THREADS)
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"PROCESSED"}
    assert (Repository.objects.count(), PullRequest.objects.count(), PullRequestStateHistory.objects.count()) == (
        1,
        1,
        1,
    )
