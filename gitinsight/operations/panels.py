"""The operations page (/admin/operations/): is data coming in, are jobs running, is there
a recent backup, how big is the database.

The platform cannot import the apps above it, so each app registers its own panel in its
AppConfig.ready() with `operations_panel_register`; the platform's panels (job queue,
backups, database) are registered at the bottom of this module. A panel that fails to
read is shown as one error line; the others still render."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Max, Min
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.timesince import timesince, timeuntil

from gitinsight.database.backups import backup_dir, backup_last
from gitinsight.presentation import code

logger = logging.getLogger(__name__)

#: A daily backup older than this is late.
BACKUP_STALE_AFTER = timedelta(hours=36)


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    state: str = "ok"  # "ok", "warn" or "bad": how the page colours it


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class PanelBody:
    metrics: list[Metric]
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    body: PanelBody | None
    error: str = ""


@dataclass(frozen=True)
class _Registration:
    title: str
    provider: Callable[[AbstractBaseUser], PanelBody]
    superuser_only: bool
    order: int


_panels: dict[str, _Registration] = {}


def operations_panel_register(
    key: str,
    title: str,
    provider: Callable[[AbstractBaseUser], PanelBody],
    *,
    superuser_only: bool = False,
    order: int = 50,
) -> None:
    """`provider(user)` returns what `user` may see; platform-wide panels pass
    superuser_only=True and are left out for other staff."""
    _panels[key] = _Registration(title, provider, superuser_only, order)


def operations_panels_for(user: AbstractBaseUser) -> list[Panel]:
    panels = []
    for key, registration in sorted(_panels.items(), key=lambda item: (item[1].order, item[0])):
        if registration.superuser_only and not user.is_superuser:
            continue
        try:
            # A savepoint: a failed query must not abort the transaction the other panels read in.
            with transaction.atomic():
                panels.append(Panel(key, registration.title, registration.provider(user)))
        except Exception as exc:
            logger.exception("operations panel %s failed", key)
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            panels.append(Panel(key, registration.title, None, f"Could not be read ({type(exc).__name__}: {message})"))
    return panels


def ago(moment: datetime | None, *, never: str = "never") -> str:
    if moment is None:
        return never
    if moment > timezone.now():
        return f"in {timeuntil(moment)} ({moment:%Y-%m-%d %H:%M} UTC)"
    return f"{timesince(moment)} ago ({moment:%Y-%m-%d %H:%M} UTC)"


def _broker_metrics() -> list[Metric]:
    from django_q.brokers import get_broker

    broker = get_broker()
    try:
        return [
            Metric("Queued tasks", str(broker.queue_size())),
            Metric("Tasks being run", str(broker.lock_size())),
            Metric("Queue", broker.info()),
        ]
    except Exception as exc:  # redis.ConnectionError and its kin
        return [Metric("Queue", f"unreachable: {exc}", "bad")]


def queue_panel(user: AbstractBaseUser) -> PanelBody:
    from django_q.models import Failure, OrmQ, Success
    from django_q.status import Stat

    now = timezone.now()
    failed = Failure.objects.filter(stopped__gte=now - timedelta(hours=24)).count()
    last_success = Success.objects.aggregate(last=Max("stopped"))["last"]
    if settings.Q_BROKER == "orm":
        waiting = OrmQ.objects.filter(lock__lte=now)
        oldest = waiting.aggregate(oldest=Min("lock"))["oldest"]
        metrics = [
            Metric("Queued tasks", str(waiting.count())),
            Metric("Tasks being run", str(OrmQ.objects.filter(lock__gt=now).count())),
            Metric(
                "Oldest queued task",
                ago(oldest, never="none waiting"),
                "warn" if oldest and now - oldest > timedelta(minutes=15) else "ok",
            ),
        ]
    else:
        metrics = _broker_metrics()
    metrics += [
        Metric("Failed tasks in the last 24 h", str(failed), "bad" if failed else "ok"),
        Metric("Last successful task", ago(last_success)),
    ]
    try:
        with transaction.atomic():
            clusters = Stat.get_all()  # heartbeats live in the cache table
    except Exception as exc:
        logger.warning("worker heartbeats unreadable: %s", exc)
        metrics.append(Metric("Worker clusters", "unknown: the cache table is unreadable (createcachetable)", "warn"))
        return PanelBody(metrics)
    described = [
        f"{stat.host} {stat.status} ({len(stat.workers)} workers, seen {ago(stat.timestamp)})" for stat in clusters
    ]
    metrics.append(
        Metric(
            "Worker clusters",
            ", ".join(described) or "none running (start one with `manage.py qcluster`)",
            "ok" if clusters else "bad",
        )
    )
    return PanelBody(metrics)


def backups_panel(user: AbstractBaseUser) -> PanelBody:
    last = backup_last()
    last_ok = last if last is not None and last.status == "ok" else backup_last(status="ok")
    metrics = [Metric("Backup folder", str(backup_dir()))]
    if last is None:
        metrics.append(Metric("Last backup", "never (run `manage.py backup`)", "bad"))
        return PanelBody(metrics)
    started = datetime.fromisoformat(last.started_at)
    if last.status != "ok":
        metrics.append(Metric("Last backup", f"failed {ago(started)}: {last.error}", "bad"))
    if last_ok is not None:
        ok_at = datetime.fromisoformat(last_ok.started_at)
        metrics += [
            Metric(
                "Last successful backup",
                f"{ago(ok_at)}, {filesizeformat(last_ok.size_bytes)} in {last_ok.duration_s:.1f} s",
                "warn" if timezone.now() - ok_at > BACKUP_STALE_AFTER else "ok",
            ),
            Metric("File", last_ok.file),
        ]
    else:
        metrics.append(Metric("Last successful backup", "never", "bad"))
    return PanelBody(metrics)


def database_panel(user: AbstractBaseUser, *, largest: int = 10) -> PanelBody:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), pg_database_size(current_database()), version()")
        name, size, version = cursor.fetchone()
        cursor.execute(
            """
            SELECT c.relname,
                   COALESCE(sum(pg_total_relation_size(t.relid)), pg_total_relation_size(c.oid)) AS total,
                   COALESCE(sum(p.reltuples) FILTER (WHERE p.reltuples >= 0), c.reltuples)::bigint AS estimate
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN LATERAL pg_partition_tree(c.oid) t ON t.isleaf
            LEFT JOIN pg_class p ON p.oid = t.relid
            -- a partitioned table (the audit log) counts once, with all its partitions
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
            GROUP BY c.oid, c.relname, c.reltuples
            ORDER BY 2 DESC, c.relname
            LIMIT %s
            """,
            [largest],
        )
        tables = cursor.fetchall()
    rows = [
        [code(table), filesizeformat(total), f"{estimate:,}" if estimate >= 0 else "not analysed"]
        for table, total, estimate in tables
    ]
    return PanelBody(
        [Metric("Database", code(name)), Metric("Size", filesizeformat(size)),
         Metric("Server", version.split(" on ")[0])],
        [Table("Largest tables", ["Table", "Size with indexes", "Rows (estimate)"], rows)],
    )


operations_panel_register("queue", "Job queue", queue_panel, superuser_only=True, order=20)
operations_panel_register("backups", "Backups", backups_panel, superuser_only=True, order=30)
operations_panel_register("database", "Database", database_panel, superuser_only=True, order=40)
