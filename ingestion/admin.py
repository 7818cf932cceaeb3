"""The maintainers' view of ingested data. Rows come from GitHub, so most pages are
read-only; a repository's monitoring settings are editable, and a delivery can be
re-processed. Every list shows only the viewer's organizations."""

import re
import secrets

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.crypto import constant_time_compare
from django.utils.html import format_html, format_html_join

from gitinsight.admin.readable import words_filter
from gitinsight.admin.scoping import ReadOnlyAdmin, TenantScopedAdmin, role_action
from gitinsight.plural import counted
from gitinsight.presentation import EMPTY, days_ago, event_words, number, percent, sentence_case, when, words
from gitinsight.security.roles import Action
from gitinsight.services.audit import audit_record
from ingestion.core.app_manifest import ALWAYS_SENT, app_manifest, manifest_form_action, manifest_json
from ingestion.models import (
    BackfillRun,
    CheckRun,
    Commit,
    CommitFile,
    Installation,
    Issue,
    Milestone,
    PullRequest,
    PullRequestFile,
    PullRequestStateHistory,
    Repository,
    WebhookDelivery,
    WorkflowRun,
)
from ingestion.selectors import pull_requests_of_commit
from ingestion.services.github_api.app_manifest import manifest_conversion
from ingestion.services.github_api.errors import GitHubApiError
from ingestion.services.webhooks.processing import DeliveryNotReprocessable, delivery_reprocess


def _count(model, **filters) -> Coalesce:
    rows = model.objects.filter(repository=OuterRef("pk"), **filters).order_by().values("repository")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def first_line(message: str, width: int = 80) -> str:
    text = (message or "").strip()
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= width else f"{line[:width - 1]}…"


def changelist_link(model: str, text: str, **filters) -> str:
    """A link to an admin list filtered by `filters` (model as "app_label.model_name")."""
    app_label, _, name = model.partition(".")
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return format_html('<a href="{}?{}">{}</a>', reverse(f"admin:{app_label}_{name}_changelist"), query, text)


def change_link(obj, text: str) -> str:
    meta = obj._meta
    return format_html('<a href="{}">{}</a>', reverse(f"admin:{meta.app_label}_{meta.model_name}_change",
                                                      args=[obj.pk]), text)


def analysis_state(repository: Repository) -> str:
    """The repository's analysis status with its time, as a sentence fragment."""
    status = repository.analysis_status
    if status == "done" and repository.last_analyzed:
        return f"analysed {days_ago(repository.last_analyzed)}"
    if status == "failed":
        return "last analysis failed"
    if status == "running":
        return "being analysed"
    if status == "degraded":
        return f"analysed {days_ago(repository.last_analyzed)}, partly"
    return "not analysed yet"


@admin.register(Repository)
class RepositoryAdmin(TenantScopedAdmin):
    change_action = Action.CONFIGURE  # monitoring and settings
    list_display = [
        "full_name",
        "organization",
        "commit_count",
        "open_pull_requests",
        "open_issues",
        "analysis",
        "monitoring",
    ]
    list_filter = ["monitoring_status", "is_active", "analysis_status", "language"]
    search_fields = ["full_name", "description"]
    list_select_related = ["organization"]
    fieldsets = [
        (None, {"fields": ["summary", "browse"]}),
        ("Monitoring", {"fields": ["is_active", "monitoring_status", "polling", "last_error"]}),
        ("On GitHub", {"fields": ["github", "description", "language", "default_branch", "local_path"],
                       "classes": ["collapse"]}),
        ("Risk settings", {"fields": ["settings"], "classes": ["collapse"],
                           "description": "Per-repository settings of commit risk, written as JSON: for "
                                          "example the issue tracker's bug labels under <code>risk</code>, "
                                          "<code>tracker_bug_keys</code>."}),
    ]
    readonly_fields = ["summary", "browse", "polling", "last_error", "github", "description", "language",
                       "default_branch", "local_path"]

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .annotate(
                commit_total=_count(Commit),
                open_pr_total=_count(PullRequest, state=PullRequest.State.OPEN),
                open_issue_total=_count(Issue, state="open", is_pull_request=False),
            )
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # repositories are connected through the API, webhooks or ingest_git

    @admin.display(description="commits", ordering="commit_total")
    def commit_count(self, obj: Repository) -> str:
        return number(obj.commit_total)

    @admin.display(description="open pull requests", ordering="open_pr_total")
    def open_pull_requests(self, obj: Repository) -> str:
        return number(obj.open_pr_total)

    @admin.display(description="open issues", ordering="open_issue_total")
    def open_issues(self, obj: Repository) -> str:
        return number(obj.open_issue_total)

    @admin.display(description="analysis", ordering="last_analyzed")
    def analysis(self, obj: Repository) -> str:
        return analysis_state(obj)

    @admin.display(description="monitoring", ordering="monitoring_status")
    def monitoring(self, obj: Repository) -> str:
        if not obj.is_active:
            return "paused"
        if obj.monitoring_status == Repository.MonitoringStatus.ERROR:
            return "stopped after errors"
        return obj.get_monitoring_status_display().lower()

    @admin.display(description="in a sentence")
    def summary(self, obj: Repository) -> str:
        source = "GitHub" if obj.github_id else "a local clone"
        return format_html(
            "{} ({}) follows {} from {}: {}, {} and {}; {}.",
            obj.full_name, obj.organization, obj.default_branch or "its default branch", source,
            counted(obj.commit_total, "commit", "commits"),
            counted(obj.open_pr_total, "open pull request", "open pull requests"),
            counted(obj.open_issue_total, "open issue", "open issues"), analysis_state(obj),
        )

    @admin.display(description="browse")
    def browse(self, obj: Repository) -> str:
        links = [
            changelist_link("ingestion.commit", "commits", repository__id__exact=obj.pk),
            changelist_link("ingestion.pullrequest", "pull requests", repository__id__exact=obj.pk),
            changelist_link("ingestion.issue", "issues", repository__id__exact=obj.pk),
            changelist_link("ingestion.milestone", "milestones", repository__id__exact=obj.pk),
            changelist_link("ingestion.checkrun", "check runs", repository__id__exact=obj.pk),
        ]
        return format_html_join(" · ", "{}", ((link,) for link in links))

    @admin.display(description="polling")
    def polling(self, obj: Repository) -> str:
        if not obj.github_id:
            return "Not polled: no GitHub repository is connected (its history is read from a local clone)."
        last = f"last polled {days_ago(obj.last_polled_at)}" if obj.last_polled_at else "never polled yet"
        failures = f"; {counted(obj.failure_count, 'failure', 'failures')} in a row" if obj.failure_count else ""
        return f"{last.capitalize()}{failures}."

    @admin.display(description="GitHub")
    def github(self, obj: Repository) -> str:
        if not obj.html_url:
            return "not connected to GitHub"
        return format_html('<a href="{}" rel="noopener">{}</a> · {} stars · {} forks{}', obj.html_url, obj.html_url,
                           number(obj.stars), number(obj.forks), " · private" if obj.is_private else "")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ["delivery_id", "what_happened", "status", "reason", "repository", "attempts", "received_at",
                    "processed_at"]
    list_filter = ["status", words_filter("event", "event", word=event_words)]
    fields = ["delivery_id", "what_happened", "status", "error", "repository", "repository_github_id",
              "installation_github_id", "attempts", "received_at", "processed_at", "payload_sha256", "payload"]
    readonly_fields = ["what_happened"]
    search_fields = ["delivery_id", "repository__full_name"]
    list_select_related = ["repository"]
    date_hierarchy = "received_at"
    actions = ["reprocess"]

    @role_action(Action.REPROCESS, description="Re-process the selected deliveries")
    def reprocess(self, request: HttpRequest, queryset) -> None:
        outcomes: dict[str, int] = {}
        for delivery_id in queryset.values_list("delivery_id", flat=True):
            try:
                status = delivery_reprocess(delivery_id=delivery_id, user=request.user)
            except DeliveryNotReprocessable as exc:
                self.message_user(request, str(exc), level=messages.WARNING)
                continue
            outcomes[status] = outcomes.get(status, 0) + 1
        if outcomes:
            summary = ", ".join(f"{count} {words(status)}" for status, count in sorted(outcomes.items()))
            self.message_user(request, f"Re-processed: {summary}.", level=messages.SUCCESS)

    @admin.display(description="event", ordering="event")
    def what_happened(self, obj: WebhookDelivery) -> str:
        return sentence_case(event_words(obj.event, obj.action))

    @admin.display(description="reason")
    def reason(self, obj: WebhookDelivery) -> str:
        """Why a delivery failed, was refused or skipped, shortened for the list."""
        return obj.error if len(obj.error) <= 200 else f"{obj.error[:200]}…"


class PullRequestFileInline(ReadOnlyInline):
    model = PullRequestFile
    verbose_name_plural = "files of the current head (the 50 largest changes)"
    fields = ["path", "status", "channel", "additions", "deletions", "previous_path"]
    readonly_fields = fields
    ordering = ["path"]

    def get_queryset(self, request: HttpRequest):
        # The current head's 50 largest changes: older heads stay in the database for triage history.
        queryset = super().get_queryset(request)
        object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        head = PullRequest.objects.filter(pk=object_id).values("head_sha")[:1] if object_id else None
        if head is None:
            return queryset.none()
        largest = (PullRequestFile.objects.filter(pull_request_id=object_id, head_sha=Subquery(head))
                   .order_by((F("additions") + F("deletions")).desc(), "path").values("pk")[:50])
        return queryset.filter(pk__in=largest)


class PullRequestStateHistoryInline(ReadOnlyInline):
    model = PullRequestStateHistory
    verbose_name_plural = "history"
    fields = ["created_at", "old_state", "new_state", "trigger_event", "head_sha"]
    readonly_fields = fields


class CheckRunInline(ReadOnlyInline):
    model = CheckRun
    fields = ["name", "status", "conclusion", "head_sha", "completed_at"]
    readonly_fields = fields


@admin.register(PullRequest)
class PullRequestAdmin(ReadOnlyAdmin, TenantScopedAdmin):
    list_display = ["number", "title", "repository", "state", "draft", "author_login", "updated_at", "triage"]
    list_display_links = ["number", "title"]
    list_filter = ["state", "draft", "analysis_status", "repository"]
    search_fields = ["title", "author_login", "head_ref", "repository__full_name"]
    list_select_related = ["repository"]
    fieldsets = [
        (None, {"fields": ["summary", "repository", "milestone", "labels_list", "body"]}),
        ("Change", {"fields": ["branches", "size", "merge"]}),
        ("Analysis", {"fields": ["triage", "last_checked_at"]}),
    ]
    readonly_fields = ["summary", "repository", "milestone", "labels_list", "body", "branches", "size", "merge",
                       "triage", "last_checked_at"]
    inlines = [CheckRunInline, PullRequestFileInline, PullRequestStateHistoryInline]

    @admin.display(description="in a sentence")
    def summary(self, obj: PullRequest) -> str:
        state = {"open": "open", "closed": "closed without merging", "merged": "merged"}.get(obj.state, obj.state)
        draft = " draft" if obj.draft else ""
        reviewers = f"; review requested from {', '.join(obj.requested_reviewers)}" if obj.requested_reviewers else ""
        link = format_html(' (<a href="{}" rel="noopener">on GitHub</a>)', obj.html_url) if obj.html_url else ""
        return format_html("An {}{} pull request by {}, opened {}{}{}.", state, draft, obj.author_login or "someone",
                           when(obj.created_at), reviewers, link)

    @admin.display(description="labels")
    def labels_list(self, obj: PullRequest) -> str:
        return ", ".join(obj.labels) or EMPTY

    @admin.display(description="branches")
    def branches(self, obj: PullRequest) -> str:
        source = f"{obj.head_repo_full_name}:" if obj.head_repo_full_name not in ("", obj.repository.full_name) else ""
        return f"{source}{obj.head_ref or '?'} ({obj.head_sha[:10]}) into {obj.base_ref or '?'} ({obj.base_sha[:10]})"

    @admin.display(description="size")
    def size(self, obj: PullRequest) -> str:
        if not (obj.additions or obj.deletions or obj.changed_files):
            files = obj.files.filter(head_sha=obj.head_sha)
            totals = files.aggregate(added=Coalesce(Sum("additions"), 0), deleted=Coalesce(Sum("deletions"), 0),
                                     n=Count("pk"))
            if not totals["n"]:
                return "not known yet"
            files_changed, added, deleted = totals["n"], totals["added"], totals["deleted"]
        else:
            files_changed, added, deleted = obj.changed_files, obj.additions, obj.deletions
        return f"{counted(files_changed, 'file', 'files')}, +{number(added)} \u2212{number(deleted)} lines"

    @admin.display(description="merge")
    def merge(self, obj: PullRequest) -> str:
        if obj.merged:
            return f"Merged {when(obj.merged_at)} by {obj.merged_by_login or 'someone'}."
        if obj.state == "closed":
            return f"Closed {when(obj.closed_at)} without merging."
        return "Not merged yet."

    @admin.display(description="triage", ordering="analysis_status")
    def triage(self, obj: PullRequest) -> str:
        status = {"pending": "not analysed yet", "running": "being analysed", "done": "analysed",
                  "degraded": "analysed without some inputs", "failed": "analysis failed"}
        text = status.get(obj.analysis_status, obj.analysis_status)
        if obj.analysis_status == "failed" and obj.analysis_error:
            text = f"{text}: {obj.analysis_error.splitlines()[0][:160]}"
        return text


class CommitFileInline(ReadOnlyInline):
    model = CommitFile
    fields = ["path", "status", "channel", "additions", "deletions", "previous_path"]
    readonly_fields = fields
    verbose_name_plural = "files (the 50 largest changes)"

    def get_queryset(self, request: HttpRequest):
        # A merge can touch thousands of files: the page shows the largest changes only.
        queryset = super().get_queryset(request)
        object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        if object_id is None:
            return queryset.none()
        largest = (CommitFile.objects.filter(commit_id=object_id)
                   .order_by((F("additions") + F("deletions")).desc(), "path").values("pk")[:50])
        return queryset.filter(pk__in=largest)


class MergeCommitFilter(admin.BooleanFieldListFilter):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.title = "merge commit"


@admin.register(Commit)
class CommitAdmin(ReadOnlyAdmin, TenantScopedAdmin):
    list_display = ["short_sha", "subject", "repository", "author_name", "committed_on", "size"]
    list_filter = ["repository", "source", ("is_merge", MergeCommitFilter)]
    search_fields = ["sha", "author_name", "author_email", "author_login", "message"]
    list_select_related = ["repository"]
    show_full_result_count = False  # counting millions of commits on every page is slow
    fieldsets = [
        (None, {"fields": ["summary", "message_text", "repository", "pull_requests"]}),
        ("Details", {"fields": ["sha", "parents_list", "committer", "source"], "classes": ["collapse"]}),
    ]
    readonly_fields = ["summary", "message_text", "repository", "pull_requests", "sha", "parents_list", "committer",
                       "source"]
    inlines = [CommitFileInline]

    @admin.display(description="commit", ordering="sha")
    def short_sha(self, obj: Commit) -> str:
        return obj.sha[:10]

    @admin.display(description="message")
    def subject(self, obj: Commit) -> str:
        # People's own words are quoted as they wrote them (data-verbatim: a code name in a
        # commit message is theirs, not a value the page failed to translate).
        return format_html("<span data-verbatim>{}</span>", first_line(obj.message))

    @admin.display(description="committed", ordering="committed_at")
    def committed_on(self, obj: Commit) -> str:
        return when(obj.committed_at, with_time=False)

    @admin.display(description="lines")
    def size(self, obj: Commit) -> str:
        files = counted(obj.files_changed, "file", "files")
        return f"+{number(obj.lines_added)} \u2212{number(obj.lines_deleted)} in {files}"

    @admin.display(description="in a sentence")
    def summary(self, obj: Commit) -> str:
        kind = "A merge" if obj.is_merge else "A commit"
        return (f"{kind} by {obj.author_name or obj.author_login or 'someone'}, {when(obj.authored_at)}: "
                f"adds {counted(obj.lines_added, 'line', 'lines')} and deletes "
                f"{counted(obj.lines_deleted, 'line', 'lines')} in {counted(obj.files_changed, 'file', 'files')}.")

    @admin.display(description="message")
    def message_text(self, obj: Commit) -> str:
        return format_html('<div class="gi-message" data-verbatim>{}</div>', obj.message.strip() or EMPTY)

    @admin.display(description="pull requests")
    def pull_requests(self, obj: Commit) -> str:
        links = format_html_join(", ", '<a href="{}">#{} {}</a>', (
            (reverse("admin:ingestion_pullrequest_change", args=[pull_request.pk]), pull_request.number,
             pull_request.title) for pull_request in pull_requests_of_commit(obj)))
        return links or "none known"

    @admin.display(description="parents")
    def parents_list(self, obj: Commit) -> str:
        return ", ".join(parent[:10] for parent in obj.parents) or "none (the first commit)"

    @admin.display(description="committed")
    def committer(self, obj: Commit) -> str:
        return f"by {obj.committer_name or obj.committer_login or 'someone'}, {when(obj.committed_at)}"


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin, TenantScopedAdmin):
    list_display = ["number", "title", "repository", "state", "milestone", "author_login", "comments_count",
                    "updated_at"]
    list_display_links = ["number", "title"]
    list_filter = ["state", "is_pull_request", "repository"]
    search_fields = ["title", "author_login", "repository__full_name"]
    list_select_related = ["repository", "milestone"]
    fields = ["title", "repository", "state", "milestone", "author_login", "labels_list", "body", "created_at",
              "closed_at", "html_url"]
    readonly_fields = fields

    @admin.display(description="labels")
    def labels_list(self, obj: Issue) -> str:
        return ", ".join(obj.labels) or EMPTY


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin, TenantScopedAdmin):
    list_display = ["title", "repository", "state", "due_on", "open_issues", "closed_issues", "done"]
    list_filter = ["state", "repository"]
    search_fields = ["title", "repository__full_name"]
    list_select_related = ["repository"]
    fields = ["title", "repository", "state", "description", "due_on", "open_issues", "closed_issues", "done",
              "html_url"]
    readonly_fields = fields

    @admin.display(description="done", ordering="completion_percentage")
    def done(self, obj: Milestone) -> str:
        return percent(obj.completion_percentage, already_percent=True)


class GitHubStateWords:
    """A run's status and conclusion as GitHub stores them (`in_progress`, `timed_out`), shown
    and filtered in words."""

    state_filters = [words_filter("status", "status"), words_filter("conclusion", "conclusion")]

    @admin.display(description="status", ordering="status")
    def state(self, obj: CheckRun | WorkflowRun) -> str:
        return sentence_case(words(obj.status))

    @admin.display(description="conclusion", ordering="conclusion")
    def outcome(self, obj: CheckRun | WorkflowRun) -> str:
        return sentence_case(words(obj.conclusion)) if obj.conclusion else EMPTY


@admin.register(CheckRun)
class CheckRunAdmin(GitHubStateWords, ReadOnlyAdmin, TenantScopedAdmin):
    list_display = ["name", "repository", "pull_request", "state", "outcome", "commit", "completed_at"]
    list_filter = [*GitHubStateWords.state_filters, "app_slug", "repository"]
    search_fields = ["name", "head_sha", "repository__full_name"]
    list_select_related = ["repository", "pull_request"]
    fields = ["name", "repository", "pull_request", "state", "outcome", "commit", "app_slug", "started_at",
              "completed_at", "output_title", "output_summary", "details_url"]
    readonly_fields = fields

    @admin.display(description="commit", ordering="head_sha")
    def commit(self, obj: CheckRun) -> str:
        return obj.head_sha[:10]


@admin.register(WorkflowRun)
class WorkflowRunAdmin(GitHubStateWords, ReadOnlyAdmin, TenantScopedAdmin):
    list_display = ["name", "run_number", "run_attempt", "repository", "trigger", "state", "outcome", "head_sha"]
    list_filter = [*GitHubStateWords.state_filters, words_filter("event", "triggered by", word=event_words)]
    search_fields = ["name", "head_sha", "repository__full_name"]
    list_select_related = ["repository"]
    fields = ["name", "repository", "pull_request", "run_number", "run_attempt", "trigger", "state", "outcome",
              "head_sha", "head_branch", "actor_login", "html_url", "duration_seconds", "run_started_at",
              "created_at", "updated_at"]
    readonly_fields = fields

    @admin.display(description="triggered by", ordering="event")
    def trigger(self, obj: WorkflowRun) -> str:
        return sentence_case(event_words(obj.event))


@admin.register(Installation)
class InstallationAdmin(ReadOnlyAdmin, TenantScopedAdmin):
    """GitHub's installation webhook binds an installation to the organization of its
    account; an operator (a superuser) may bind it to another one here. Its token is then
    used for that organization's repositories on the installation's account, and no other."""

    list_display = ["github_id", "account_login", "account_type", "organization", "suspended_at", "deleted_at"]
    search_fields = ["account_login"]
    fields = ["organization", "github_id", "account_login", "account_type", "account_github_id", "app_id", "app_slug",
              "repository_selection", "permissions", "events", "suspended_at", "deleted_at", "created_at",
              "updated_at"]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return [name for name in self.fields if name != "organization"]

    def get_urls(self):
        return [
            path("app-setup/", self.admin_site.admin_view(self.app_setup_view), name="ingestion_github_app_setup"),
            path("app-setup/done/", self.admin_site.admin_view(self.app_setup_done_view),
                 name="ingestion_github_app_setup_done"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra = {"app_setup_url": reverse("admin:ingestion_github_app_setup")} if request.user.is_superuser else {}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def app_setup_view(self, request: HttpRequest) -> HttpResponse:
        """The GitHub App manifest GitInsight needs, posted by the browser to GitHub."""
        if not request.user.is_superuser:
            raise PermissionDenied
        return TemplateResponse(request, "admin/ingestion/installation/app_setup.html", {
            **self.admin_site.each_context(request), "title": "Set up the GitHub App", "opts": self.model._meta,
            **app_setup_context(request)})

    def app_setup_done_view(self, request: HttpRequest) -> HttpResponse:
        """GitHub's redirect back: trade its code for the App's credentials and show, once, which
        environment variables to set with them (nothing of them is stored)."""
        if not request.user.is_superuser:
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "title": "Set the GitHub App's credentials",
                   "opts": self.model._meta}
        expected = request.session.pop(APP_SETUP_STATE, None)
        if not expected or not constant_time_compare(expected, request.GET.get("state", "")):
            context["error"] = ("This page was not reached from GitInsight's set-up (or it was reloaded): "
                                "start the set-up again.")
            return TemplateResponse(request, "admin/ingestion/installation/app_setup_done.html", context, status=400)
        try:
            credentials = manifest_conversion(request.GET.get("code", ""))
        except GitHubApiError as error:
            context["error"] = str(error)
            return TemplateResponse(request, "admin/ingestion/installation/app_setup_done.html", context, status=502)
        audit_record(user=request.user, action="github_app.created", resource_type="github_app",
                     resource_id=credentials.app_id, details={"slug": credentials.slug, "url": credentials.html_url})
        context.update(credentials=credentials, env_file=credentials.env_file())
        response = TemplateResponse(request, "admin/ingestion/installation/app_setup_done.html", context)
        response["Cache-Control"] = "no-store"  # the credentials are shown once and kept nowhere
        return response


@admin.register(BackfillRun)
class BackfillRunAdmin(ReadOnlyAdmin, TenantScopedAdmin):
    list_display = ["repository", "status", "created_at", "started_at", "finished_at", "resume_at"]
    list_filter = ["status"]
    list_select_related = ["repository"]


APP_SETUP_STATE = "github_app_setup_state"
GITHUB_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")


def app_setup_context(request: HttpRequest) -> dict:
    """The manifest and where to post it; a fresh state, kept in the session, ties GitHub's
    redirect back to this page."""
    organization = request.GET.get("organization", "").strip()
    if organization and not GITHUB_LOGIN.fullmatch(organization):
        organization = ""
    state = secrets.token_urlsafe(24)
    request.session[APP_SETUP_STATE] = state
    name = request.GET.get("name", "").strip()[:34] or "GitInsight"
    author_comment = request.GET.get("author_comment") == "1"
    manifest = app_manifest(site_url=settings.SITE_URL, name=name, author_comment=author_comment,
                            redirect_path=reverse("admin:ingestion_github_app_setup_done"))
    return {
        "manifest": manifest, "manifest_json": manifest_json(manifest), "organization": organization, "name": name,
        "author_comment": author_comment,
        "form_action": manifest_form_action(web_url=settings.GITHUB_WEB_URL, organization=organization, state=state),
        "permissions": sorted(manifest["default_permissions"].items()),
        "events": [*manifest["default_events"], *ALWAYS_SENT],
        "site_is_local": not settings.SITE_IS_HTTPS,
        "configured": bool(settings.GITHUB_APP_ID and settings.GITHUB_APP_PRIVATE_KEY),
    }
