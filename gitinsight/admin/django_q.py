"""django-q2's admin pages, for platform operators only, with audited retries.

Task arguments, results and tracebacks span every organization, so only superusers see
them; django-q's own resubmit action leaves no trace, so ours goes through a service that
writes an audit row."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import ngettext
from django_q import admin as q_admin
from django_q.models import Failure, OrmQ, Schedule, Success, Task

from gitinsight.presentation import code
from gitinsight.services.audit import audit_record
from gitinsight.services.task_records import task_records_delete, task_retry


class OperatorOnlyAdmin(admin.ModelAdmin):
    """Superusers only, whatever model permissions a staff member holds; what django-q's
    admin forbids (adding a result, say) stays forbidden."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request) and super().has_delete_permission(request, obj)


def _verbatim(value) -> str:
    """A task's arguments or result are code: quoted as they are, marked so the page's reader
    (and the crawler) takes them for a quotation."""
    if value in (None, (), {}, ""):
        return "none"
    return format_html('<pre data-verbatim style="white-space: pre-wrap">{}</pre>', str(value))


class TaskRecordAdmin(OperatorOnlyAdmin):
    actions = ["retry_tasks"]
    fields = ["name", "func", "group", "started", "stopped", "attempt_count", "arguments", "outcome"]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return self.fields

    @admin.display(description="arguments")
    def arguments(self, obj: Task) -> str:
        return _verbatim(", ".join([*(repr(arg) for arg in obj.args or ()),
                                    *(f"{key}={value!r}" for key, value in (obj.kwargs or {}).items())]))

    @admin.display(description="result")
    def outcome(self, obj: Task) -> str:
        return _verbatim(obj.result)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a record of what ran: read it, retry it or delete it

    @admin.action(description="Retry selected tasks")
    def retry_tasks(self, request: HttpRequest, queryset: QuerySet[Task]) -> None:
        retried = [task_retry(task=task, by=request.user) for task in queryset]
        self.message_user(request, ngettext("Queued %(count)d task again.", "Queued %(count)d tasks again.",
                                            len(retried)) % {"count": len(retried)})

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Task]) -> None:
        task_records_delete(tasks=list(queryset), by=request.user)

    def delete_model(self, request: HttpRequest, obj: Task) -> None:
        task_records_delete(tasks=[obj], by=request.user)


class FailedTaskAdmin(TaskRecordAdmin, q_admin.FailAdmin):
    list_display = ["name", "func", "group", "started", "stopped", "attempt_count", "short_result"]


class SuccessfulTaskAdmin(TaskRecordAdmin, q_admin.TaskAdmin):
    pass


class OperatorScheduleAdmin(OperatorOnlyAdmin, q_admin.ScheduleAdmin):
    def save_model(self, request: HttpRequest, obj: Schedule, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(user=request.user, action="schedule.change" if change else "schedule.add",
                     resource_type="schedule", resource_id=obj.pk, details={"name": obj.name, "func": obj.func})

    def delete_model(self, request: HttpRequest, obj: Schedule) -> None:
        audit_record(user=request.user, action="schedule.delete", resource_type="schedule", resource_id=obj.pk,
                     details={"name": obj.name, "func": obj.func})
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Schedule]) -> None:
        for schedule in queryset:
            self.delete_model(request, schedule)


class OperatorQueueAdmin(OperatorOnlyAdmin, q_admin.QueueAdmin):
    fields = ["key", "lock", "task_id", "task_name", "group_words", "function", "arguments"]
    readonly_fields = fields[2:]
    list_display = ("id", "key", "task_name", "group_words", "function", "lock", "task_id")

    @admin.display(description="name")
    def task_name(self, obj: OrmQ) -> str:
        return code(obj.name())  # as the code that queued it named it (`check_run_publish_task 4`)

    @admin.display(description="function")
    def function(self, obj: OrmQ) -> str:
        return code(obj.func())

    @admin.display(description="group")
    def group_words(self, obj: OrmQ) -> str:
        return obj.group() or "none"

    @admin.display(description="arguments")
    def arguments(self, obj: OrmQ) -> str:
        return _verbatim(", ".join([*(repr(arg) for arg in obj.args() or ()),
                                    *(f"{key}={value!r}" for key, value in (obj.kwargs() or {}).items())]))

    def delete_model(self, request: HttpRequest, obj: OrmQ) -> None:
        audit_record(user=request.user, action="queue.delete", resource_type="queued_task", resource_id=obj.task_id(),
                     details={"func": obj.func()})
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[OrmQ]) -> None:
        for queued in queryset:
            self.delete_model(request, queued)


def django_q_admin_register(site: admin.AdminSite) -> None:
    """Replace django-q's own pages (registered when its admin module was imported)."""
    for model, model_admin in [
        (Failure, FailedTaskAdmin),
        (Success, SuccessfulTaskAdmin),
        (Schedule, OperatorScheduleAdmin),
        (OrmQ, OperatorQueueAdmin),
    ]:
        if site.is_registered(model):
            site.unregister(model)
        site.register(model, model_admin)
