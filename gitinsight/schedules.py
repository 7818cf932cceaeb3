"""Periodic jobs, declared in code. Each app lists its own in `<app>/schedules.py` as
SCHEDULES; `schedules_sync` creates or updates them after every migrate, idempotently."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps


@dataclass(frozen=True)
class DeclaredSchedule:
    name: str
    func: str
    schedule_type: str  # django_q.models.Schedule.MINUTES / HOURLY / DAILY / WEEKLY ...
    minutes: int | None = None


def declared_schedules() -> list[DeclaredSchedule]:
    declared: list[DeclaredSchedule] = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.schedules")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.schedules":
                raise
            continue
        declared.extend(getattr(module, "SCHEDULES", []))
    return declared


def schedules_sync() -> list[str]:
    """Create or update every declared schedule by name; return the names."""
    from django_q.models import Schedule

    names = []
    for item in declared_schedules():
        Schedule.objects.update_or_create(
            name=item.name,
            defaults={"func": item.func, "schedule_type": item.schedule_type, "minutes": item.minutes, "repeats": -1},
        )
        names.append(item.name)
    return names


SCHEDULES = [
    DeclaredSchedule(
        name="platform: purge old rate-limit windows",
        func="gitinsight.tasks.rate_limit_counters_purge",
        schedule_type="H",
    ),
    DeclaredSchedule(
        name="platform: maintain audit log partitions",
        func="gitinsight.tasks.audit_partitions_maintain",
        schedule_type="D",
    ),
    DeclaredSchedule(
        name="platform: daily database backup",
        func="gitinsight.tasks.database_backup_daily",
        schedule_type="D",
    ),
    DeclaredSchedule(
        name="platform: base backup for point-in-time recovery",
        func="gitinsight.tasks.base_backup_daily",
        schedule_type="D",
    ),
]
