"""Operators' actions on django-q2's recorded tasks (the admin's "Failed tasks" and
"Successful tasks")."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_q.models import Task
from django_q.tasks import async_task

from gitinsight.services.audit import audit_record


def task_retry(*, task: Task, by: AbstractBaseUser) -> str:
    """Queue `task`'s function again with its arguments and return the new task's id. A
    failed task's row goes (as django-q's own resubmit does) so the list shows what still
    needs attention; its error stays in the audit row. The queue lives in the same database,
    so queueing, auditing and removing happen together or not at all."""
    with transaction.atomic():
        new_task_id = async_task(
            task.func, *(task.args or ()), hook=task.hook, group=task.group, cluster=task.cluster, **(task.kwargs or {})
        )
        audit_record(
            user=by, action="task.retry", resource_type="task", resource_id=task.id,
            details={"func": task.func, "name": task.name, "new_task_id": new_task_id,
                     "error": "" if task.success else str(task.result)[:2000]},
        )
        if not task.success:
            task.delete()
    return new_task_id


def task_records_delete(*, tasks: list[Task], by: AbstractBaseUser) -> int:
    """Delete recorded results (an operator clearing failures that need no retry)."""
    with transaction.atomic():
        for task in tasks:
            audit_record(user=by, action="task.delete", resource_type="task", resource_id=task.id,
                         details={"func": task.func, "name": task.name, "success": task.success})
        deleted, _ = Task.objects.filter(pk__in=[task.pk for task in tasks]).delete()
    return deleted
