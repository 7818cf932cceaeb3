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
            cursor.execute("SELECT count(*) FROM django_q_ormq")
            report["queue_backlog"] = cursor.fetchone()[0]
    except DatabaseError as exc:
        report["error"] = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    backlog_ok = report["queue_backlog"] is not None and report["queue_backlog"] <= settings.HEALTHZ_MAX_QUEUE_BACKLOG
    report["status"] = "ok" if report["database"] == "ok" and report["pgvector"] and backlog_ok else "unhealthy"
    return report


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
