from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import truncatechars
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from gitinsight.admin.readable import words_filter
from gitinsight.admin.scoping import ReadOnlyAdmin, TenantScopedAdmin, role_action
from gitinsight.presentation import days_ago, readable
from gitinsight.security.roles import Action, permitted
from ingestion.admin import RepositoryAdmin
from ingestion.models import Repository
from workspace.job_types import job_types
from workspace.models import AnalysisJob, Notification, RepositoryFollow
from workspace.overview import OverviewLine, OverviewSection, overview_section_register, repository_overview
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
    options = forms.JSONField(
        required=False, initial=dict,
        help_text='Operators only: the clone to read on the server, as {"path": "/srv/clones/app"}; leave it empty '
                  "to read the repository's own clone.",
    )

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


STATUS_WORDS = {"queued": "waiting to start", "in_progress": "running", "completed": "done", "failed": "failed",
                "cancelled": "cancelled"}


def job_state(*, status: str, progress: int, message: str) -> str:
    """The one line a job's status cell and its live bar both show: status, percent, stage."""
    words = STATUS_WORDS.get(status, status)
    if status == AnalysisJob.Status.IN_PROGRESS:
        return f"{words} · {progress} %" + (f" · {message}" if message and message != "starting" else "")
    return words


def progress_bar(job: AnalysisJob) -> str:
    return format_html(
        '<div class="gi-progress" data-job-progress="{}" data-status="{}" title="{}"><div class="gi-progress-bar" '
        'style="width: {}%"></div><span>{}</span></div>',
        job.pk, job.status, job.message, job.progress if job.status != "completed" else 100,
        job_state(status=job.status, progress=job.progress, message=job.message),
    )


def job_result(job: AnalysisJob) -> str:
    """The job's summary sentence, then its other figures as a table."""
    if job.status == AnalysisJob.Status.FAILED:
        first = (job.error_message or "failed without a message").splitlines()[0]
        kind, _, text = first.partition(": ")
        return text if kind.isidentifier() and text else first
    if not job.result:
        return "—" if not job.is_finished else "no result"
    figures = {key: value for key, value in job.result.items() if key != "summary"}
    return format_html("<p>{}</p>{}", job.result.get("summary", ""), readable(figures) if figures else "")


def job_labels() -> dict[str, str]:
    return {name: kind.label for name, kind in job_types().items()}


@admin.register(AnalysisJob)
class AnalysisJobAdmin(TenantScopedAdmin):
    change_action = Action.RUN_JOBS
    list_display = ["job", "repository", "progress_display", "outcome", "created_at"]
    list_filter = ["status", words_filter("type", "job", job_labels),
                   "repository"]
    list_select_related = ["repository"]
    actions = ["cancel_jobs", "retry_jobs"]
    readonly_fields = [
        "job", "repository", "progress_display", "outcome", "options_text", "attempts", "created_by", "started_at",
        "completed_at", "created_at",
    ]
    change_form_template = "admin/workspace/analysisjob/change_form.html"
    change_list_template = "admin/workspace/analysisjob/change_list.html"

    class Media:
        js = ["gitinsight/js/job_progress.js"]
        css = {"all": ["gitinsight/css/workspace.css"]}

    @admin.display(description="job", ordering="type")
    def job(self, job: AnalysisJob) -> str:
        kind = job_types().get(job.type)
        return kind.label if kind else job.type.replace("_", " ").capitalize()

    @admin.display(description="status", ordering="status")
    def progress_display(self, job: AnalysisJob) -> str:
        return progress_bar(job)

    @admin.display(description="outcome")
    def outcome(self, job: AnalysisJob) -> str:
        return truncatechars(job_result(job), 200) if not job.result else job_result(job)

    @admin.display(description="options")
    def options_text(self, job: AnalysisJob) -> str:
        if not job.options:
            return "none"
        return readable(job.options)

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

    def get_fields(self, request: HttpRequest, obj=None):
        # a job's page shows it in words only: its stored type, status and options are the
        # codes the worker reads
        return self.readonly_fields if obj is not None else super().get_fields(request, obj)

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
            "id": job.pk, "status": job.status, "progress": job.progress if job.status != "completed" else 100,
            "message": job.message, "error": job.error_message, "finished": job.is_finished,
            "state": job_state(status=job.status, progress=job.progress, message=job.message),
        })

    @role_action(Action.RUN_JOBS, description="Cancel selected jobs")
    def cancel_jobs(self, request: HttpRequest, queryset) -> None:
        cancelled = sum(job_cancel(job=job, by=request.user) for job in queryset)
        self.message_user(request, ngettext("Cancelled %(count)d job.", "Cancelled %(count)d jobs.", cancelled)
                          % {"count": cancelled})

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


def latest_analyses(repository: Repository) -> OverviewSection:
    """The latest job of each type on the repository, with its outcome in a sentence."""
    newest = AnalysisJob.objects.filter(repository=repository).order_by("type", "-created_at").distinct("type")
    latest = AnalysisJob.objects.filter(pk__in=newest.values("pk")).order_by("-created_at")
    section = OverviewSection(
        title="Latest analyses",
        more_url=f"{reverse('admin:workspace_analysisjob_changelist')}?repository__id__exact={repository.pk}",
        more="every job of this repository",
    )
    for job in latest:
        kind = job_types().get(job.type)
        label = kind.label if kind else job.type
        outcome = job_result(job) if job.is_finished else job_state(status=job.status, progress=job.progress,
                                                                    message=job.message)
        text = f"{label}: {STATUS_WORDS.get(job.status, job.status)} {days_ago(job.completed_at or job.created_at)}"
        summary = job.result.get("summary") if job.status == AnalysisJob.Status.COMPLETED else None
        if job.status == AnalysisJob.Status.FAILED:
            summary = outcome
        section.lines.append(OverviewLine(text=f"{text}. {summary or ''}".strip(),
                                          url=reverse("admin:workspace_analysisjob_change", args=[job.pk]),
                                          link="the job"))
    if not section.lines:
        section.lines.append(OverviewLine(text="No analysis has run on this repository yet."))
    return section


def render_overview(repository: Repository) -> str:
    sections = format_html_join("", '<section class="gi-overview-section"><h3>{}</h3><ul>{}</ul>{}</section>', (
        (section.title,
         format_html_join("", "<li>{}</li>", ((
             format_html('{} <a href="{}">{}</a>', line.text, line.url, line.link) if line.url else line.text,
         ) for line in section.lines)),
         format_html('<p class="gi-more"><a href="{}">{}</a></p>', section.more_url, section.more)
         if section.more_url else "")
        for section in repository_overview(repository)
    ))
    return format_html('<div class="gi-overview">{}</div>', sections)


class RepositoryOverviewAdmin(RepositoryAdmin):
    """Ingestion's repository page with the overview every app contributes to."""

    fieldsets = [(None, {"fields": ["summary", "overview", "browse"]}), *RepositoryAdmin.fieldsets[1:]]
    readonly_fields = [*RepositoryAdmin.readonly_fields, "overview"]

    @admin.display(description="overview")
    def overview(self, repository: Repository) -> str:
        return render_overview(repository)


overview_section_register("latest_analyses", 90, latest_analyses)
admin.site.unregister(Repository)
admin.site.register(Repository, RepositoryOverviewAdmin)
