"""The Redis broker leases tasks like the ORM broker: a task handed out is invisible to other
clusters until it is acknowledged or its lease expires, and then it is handed out again."""

from __future__ import annotations

import time

import pytest
from django_q.conf import Conf

from gitinsight.server.redis_broker import LeasingRedis


@pytest.fixture
def broker(redis_url, monkeypatch) -> LeasingRedis:
    monkeypatch.setattr(Conf, "RETRY", 1)
    monkeypatch.setattr(Conf, "POLL", 0.01)
    monkeypatch.setattr(Conf, "BULK", 1)
    queue = LeasingRedis(list_key=f"test-{time.monotonic_ns()}", url=redis_url)
    yield queue
    queue.delete_queue()


def test_tasks_come_out_in_the_order_they_went_in(broker):
    for payload in ("first", "second"):
        broker.enqueue(payload)
    assert [payload for _, payload in broker.dequeue()] == ["first"]
    assert [payload for _, payload in broker.dequeue()] == ["second"]
    assert broker.dequeue() is None


def test_a_leased_task_is_not_handed_to_another_cluster(broker, redis_url):
    broker.enqueue("only")
    other = LeasingRedis(list_key=broker.list_key.split(":")[1], url=redis_url)
    assert broker.dequeue() is not None
    assert other.dequeue() is None
    assert (broker.queue_size(), broker.lock_size()) == (0, 1)


def test_an_acknowledged_task_is_gone_for_good(broker):
    broker.enqueue("done")
    [(ack_id, _)] = broker.dequeue()
    broker.acknowledge(ack_id)
    time.sleep(1.1)  # past the lease
    assert broker.dequeue() is None
    assert (broker.queue_size(), broker.lock_size()) == (0, 0)


def test_the_task_of_a_cluster_that_died_is_handed_out_again_when_its_lease_expires(broker):
    broker.enqueue("orphaned")
    [(ack_id, payload)] = broker.dequeue()  # its cluster dies without acknowledging
    assert broker.dequeue() is None
    time.sleep(1.1)
    assert broker.dequeue() == [(ack_id, payload)]


def test_purging_empties_the_queue_and_the_leases(broker):
    for payload in ("a", "b"):
        broker.enqueue(payload)
    broker.dequeue()
    broker.purge_queue()
    assert (broker.queue_size(), broker.lock_size()) == (0, 0)
