"""GET /healthz: is the database reachable, is pgvector there, how long is the job queue."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET


def health_report() -> dict:
    report: dict = {"database": "down", "pgvector": False, "queue_backlog": None}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            report["database"] = "ok"
            cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
            row = cursor.fetchone()
            report["pgvector"] = row[0] if row else False
            if settings.Q_BROKER == "orm":
                cursor.execute("SELECT count(*) FROM django_q_ormq")
                report["queue_backlog"] = cursor.fetchone()[0]
    except DatabaseError as exc:
        report["error"] = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    if settings.Q_BROKER != "orm":
        report["queue_backlog"] = _broker_backlog(report)
    backlog_ok = report["queue_backlog"] is not None and report["queue_backlog"] <= settings.HEALTHZ_MAX_QUEUE_BACKLOG
    report["status"] = "ok" if report["database"] == "ok" and report["pgvector"] and backlog_ok else "unhealthy"
    return report


def _broker_backlog(report: dict) -> int | None:
    """Tasks waiting or leased in the Redis queue; None (and the error) when it is unreachable."""
    from django_q.brokers import get_broker

    broker = get_broker()
    try:
        return broker.queue_size() + broker.lock_size()
    except Exception as exc:  # redis.ConnectionError and its kin: the broker is down
        report["broker_error"] = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        return None


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
