import pytest
from django_q.models import OrmQ

pytestmark = pytest.mark.django_db


def test_it_is_healthy_with_the_database_and_pgvector(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["pgvector"].startswith("0.")
    assert body["queue_backlog"] == 0


def test_it_is_unhealthy_when_the_job_queue_backs_up(client, settings):
    settings.HEALTHZ_MAX_QUEUE_BACKLOG = 2
    for n in range(3):
        OrmQ.objects.create(key="gitinsight", payload=f"job-{n}", lock=None)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy"
    assert response.json()["queue_backlog"] == 3


def test_it_is_unhealthy_when_the_database_is_unreachable(client, settings):
    from django.db import connection

    real = connection.settings_dict.copy()
    connection.close()
    connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": "1", "OPTIONS": {"connect_timeout": 2}})
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(real)
    assert response.status_code == 503
    assert response.json()["database"] == "down"


@pytest.fixture
def redis_broker(settings, monkeypatch, redis_url):
    from django_q.conf import Conf

    settings.Q_BROKER = "redis"
    monkeypatch.setattr(Conf, "BROKER_CLASS", "gitinsight.server.redis_broker.LeasingRedis")
    monkeypatch.setattr(Conf, "REDIS", redis_url)
    monkeypatch.setattr(Conf, "CLUSTER_NAME", "healthz-test")
    return Conf


def test_with_the_redis_broker_the_backlog_is_the_redis_queue(client, settings, redis_broker):
    from django_q.brokers import get_broker

    settings.HEALTHZ_MAX_QUEUE_BACKLOG = 2
    broker = get_broker()
    try:
        for n in range(3):
            broker.enqueue(f"job-{n}")
        response = client.get("/healthz")
        assert (response.status_code, response.json()["queue_backlog"]) == (503, 3)
    finally:
        broker.delete_queue()


def test_with_the_redis_broker_unreachable_it_is_unhealthy(client, redis_broker, monkeypatch):
    monkeypatch.setattr(redis_broker, "REDIS", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["queue_backlog"] is None and "broker_error" in response.json()
