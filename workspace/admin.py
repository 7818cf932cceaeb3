from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import truncatechars
from django.urls import path
from django.utils.html import format_html

from gitinsight.admin.scoping import ReadOnlyAdmin, TenantScopedAdmin, role_action
from gitinsight.security.roles import Action, permitted
from ingestion.models import Repository
from workspace.job_types import job_types
from workspace.models import AnalysisJob, Notification, RepositoryFollow
from workspace.services.jobs import (
    JobNotRetryable,
    JobOptionsDenied,
    job_cancel,
    job_enqueue,
    job_options_check,
    job_retry,
)


class AnalysisJobStartForm(forms.ModelForm):
    type = forms.ChoiceField(choices=())
    options = forms.JSONField(required=False, initial=dict, help_text='e.g. {"path": "/srv/clones/app"}')

    class Meta:
        model = AnalysisJob
        fields = ["repository", "type", "options"]

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [(name, kind.label) for name, kind in sorted(job_types().items())]
        self.fields["repository"].queryset = permitted(Repository.objects.all(), user, Action.RUN_JOBS)
        self.user = user

    def clean_options(self) -> dict:
        options = self.cleaned_data.get("options") or {}
        try:
            job_options_check(options=options, by=self.user)
        except JobOptionsDenied as exc:
            raise forms.ValidationError(str(exc)) from exc
        return options


def progress_bar(job: AnalysisJob) -> str:
    return format_html(
        '<div class="gi-progress" data-job-progress="{}" title="{}"><div class="gi-progress-bar" style="width: {}%">'
        "</div><span>{}%</span></div>",
        job.pk, job.message, job.progress, job.progress,
    )


@admin.register(AnalysisJob)
class AnalysisJobAdmin(TenantScopedAdmin):
    change_action = Action.RUN_JOBS
    list_display = [
        "id", "type", "repository", "status", "progress_display", "message", "error", "attempts", "created_at",
    ]
    list_filter = ["status", "type", "repository"]
    actions = ["cancel_jobs", "retry_jobs"]
    readonly_fields = [
        "repository", "type", "options", "status", "progress_display", "message", "result", "error_message",
        "attempts", "created_by", "started_at", "completed_at", "created_at",
    ]
    change_form_template = "admin/workspace/analysisjob/change_form.html"
    change_list_template = "admin/workspace/analysisjob/change_list.html"

    class Media:
        js = ["gitinsight/js/job_progress.js"]
        css = {"all": ["gitinsight/css/workspace.css"]}

    @admin.display(description="error")
    def error(self, job: AnalysisJob) -> str:
        return truncatechars(job.error_message, 120)

    @admin.display(description="progress")
    def progress_display(self, job: AnalysisJob) -> str:
        return progress_bar(job)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        if obj is None:
            form = AnalysisJobStartForm

            class ScopedForm(form):
                def __init__(self, *args, **inner) -> None:
                    super().__init__(*args, user=request.user, **inner)

            kwargs["form"] = ScopedForm
            kwargs["fields"] = ["repository", "type", "options"]
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return self.readonly_fields if obj is not None else []

    def save_model(self, request: HttpRequest, obj: AnalysisJob, form, change: bool) -> None:
        job = job_enqueue(
            repository=form.cleaned_data["repository"],
            type=form.cleaned_data["type"],
            options=form.cleaned_data.get("options") or {},
            by=request.user,
        )
        obj.pk = job.pk
        obj.refresh_from_db()

    def log_addition(self, request, obj, message):
        return None  # job_enqueue has written the audit row

    def get_urls(self):
        return [
            path(
                "<int:job_id>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="analysis_job_progress",
            ),
            *super().get_urls(),
        ]

    def progress_view(self, request: HttpRequest, job_id: int) -> JsonResponse:
        job = get_object_or_404(self.get_queryset(request), pk=job_id)
        return JsonResponse({
            "id": job.pk, "status": job.status, "progress": job.progress, "message": job.message,
            "error": job.error_message, "finished": job.is_finished,
        })

    @role_action(Action.RUN_JOBS, description="Cancel selected jobs")
    def cancel_jobs(self, request: HttpRequest, queryset) -> None:
        cancelled = sum(job_cancel(job=job, by=request.user) for job in queryset)
        self.message_user(request, f"Cancelled {cancelled} job(s).")

    @role_action(Action.RUN_JOBS, description="Retry selected failed or cancelled jobs")
    def retry_jobs(self, request: HttpRequest, queryset) -> None:
        for job in queryset:
            try:
                job_retry(job=job, by=request.user)
            except JobNotRetryable as exc:
                self.message_user(request, str(exc), level=messages.WARNING)


@admin.register(RepositoryFollow)
class RepositoryFollowAdmin(TenantScopedAdmin):
    list_display = ["user", "repository", "followed_at", "notification_settings"]
    list_filter = ["repository"]

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)


@admin.register(Notification)
class NotificationAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ["created_at", "user", "repository", "kind", "subject", "sent_at", "error"]
    list_filter = ["kind", "repository"]

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)
