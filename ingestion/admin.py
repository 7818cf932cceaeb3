"""The maintainers' view of ingested data. Rows come from GitHub, so most pages are
read-only; a repository's monitoring settings are editable, and a delivery can be
re-processed. Every list shows only the viewer's organizations."""

import re
import secrets

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.crypto import constant_time_compare

from gitinsight.admin.scoping import ReadOnlyAdmin, TenantScopedAdmin, role_action
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


@admin.register(Repository)
class RepositoryAdmin(TenantScopedAdmin):
    change_action = Action.CONFIGURE  # monitoring and settings
    list_display = [
        "full_name",
        "organization",
        "monitoring_status",
        "is_active",
        "last_polled_at",
        "failure_count",
        "commit_count",
        "open_pull_requests",
        "open_issues",
        "analysis_status",
    ]
    list_filter = ["monitoring_status", "is_active", "analysis_status", "language"]
    search_fields = ["full_name", "description"]
    list_select_related = ["organization"]
    readonly_fields = [
        "github_id",
        "organization",
        "installation",
        "owner",
        "name",
        "full_name",
        "html_url",
        "clone_url",
        "language",
        "stars",
        "forks",
        "watchers",
        "size",
        "is_private",
        "is_fork",
        "is_archived",
        "local_path",
        "contributor_count",
        "last_polled_at",
        "last_analyzed",
        "last_error",
        "github_created_at",
        "pushed_at",
        "created_at",
        "updated_at",
    ]

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
    def commit_count(self, obj: Repository) -> int:
        return obj.commit_total

    @admin.display(description="open PRs", ordering="open_pr_total")
    def open_pull_requests(self, obj: Repository) -> int:
        return obj.open_pr_total

    @admin.display(description="open issues", ordering="open_issue_total")
    def open_issues(self, obj: Repository) -> int:
        return obj.open_issue_total


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ["delivery_id", "event", "action", "status", "reason", "repository", "attempts", "received_at",
                    "processed_at"]
    list_filter = ["status", "event"]
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
            summary = ", ".join(f"{count} {status}" for status, count in sorted(outcomes.items()))
            self.message_user(request, f"Re-processed: {summary}.", level=messages.SUCCESS)

    @admin.display(description="reason")
    def reason(self, obj: WebhookDelivery) -> str:
        """Why a delivery failed, was refused or skipped, shortened for the list."""
        return obj.error if len(obj.error) <= 200 else f"{obj.error[:200]}…"


class PullRequestFileInline(ReadOnlyInline):
    model = PullRequestFile
    fields = ["head_sha", "path", "status", "channel", "additions", "deletions", "previous_path"]
    readonly_fields = fields
    ordering = ["-created_at", "path"]


class PullRequestStateHistoryInline(ReadOnlyInline):
    model = PullRequestStateHistory
    fields = ["created_at", "old_state", "new_state", "trigger_event", "head_sha", "delivery_id"]
    readonly_fields = fields


class CheckRunInline(ReadOnlyInline):
    model = CheckRun
    fields = ["name", "status", "conclusion", "head_sha", "started_at", "completed_at", "details_url"]
    readonly_fields = fields


@admin.register(PullRequest)
class PullRequestAdmin(ReadOnlyAdmin, TenantScopedAdmin):
    list_display = ["number", "title", "repository", "state", "draft", "author_login", "updated_at", "analysis_status"]
    list_filter = ["state", "draft", "analysis_status"]
    search_fields = ["title", "author_login", "head_ref", "repository__full_name"]
    list_select_related = ["repository"]
    inlines = [PullRequestFileInline, PullRequestStateHistoryInline, CheckRunInline]


class CommitFileInline(ReadOnlyInline):
    model = CommitFile
    fields = ["path", "status", "channel", "additions", "deletions", "is_binary", "previous_path"]
    readonly_fields = fields


@admin.register(Commit)
class CommitAdmin(ReadOnlyAdmin, TenantScopedAdmin):
    list_display = [
        "short_sha",
        "repository",
        "author_name",
        "committed_at",
        "lines_added",
        "lines_deleted",
        "is_merge",
    ]
    list_filter = ["is_merge", "source"]
    search_fields = ["sha", "author_name", "author_email", "author_login", "message"]
    list_select_related = ["repository"]
    show_full_result_count = False  # counting millions of commits on every page is slow
    inlines = [CommitFileInline]

    @admin.display(description="sha", ordering="sha")
    def short_sha(self, obj: Commit) -> str:
        return obj.sha[:12]


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin, TenantScopedAdmin):
    list_display = [
        "number",
        "title",
        "repository",
        "state",
        "milestone",
        "author_login",
        "comments_count",
        "updated_at",
    ]
    list_filter = ["state", "is_pull_request"]
    search_fields = ["title", "author_login", "repository__full_name"]
    list_select_related = ["repository", "milestone"]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin, TenantScopedAdmin):
    list_display = ["title", "repository", "state", "due_on", "open_issues", "closed_issues", "completion_percentage"]
    list_filter = ["state"]
    search_fields = ["title", "repository__full_name"]
    list_select_related = ["repository"]


@admin.register(CheckRun)
class CheckRunAdmin(ReadOnlyAdmin, TenantScopedAdmin):
    list_display = ["name", "repository", "pull_request", "status", "conclusion", "head_sha", "completed_at"]
    list_filter = ["status", "conclusion", "app_slug"]
    search_fields = ["name", "head_sha", "repository__full_name"]
    list_select_related = ["repository", "pull_request"]


@admin.register(WorkflowRun)
class WorkflowRunAdmin(ReadOnlyAdmin, TenantScopedAdmin):
    list_display = ["name", "run_number", "run_attempt", "repository", "event", "status", "conclusion", "head_sha"]
    list_filter = ["status", "conclusion", "event"]
    search_fields = ["name", "head_sha", "repository__full_name"]
    list_select_related = ["repository"]


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
    manifest = app_manifest(site_url=settings.SITE_URL, name=name,
                            redirect_path=reverse("admin:ingestion_github_app_setup_done"))
    return {
        "manifest": manifest, "manifest_json": manifest_json(manifest), "organization": organization, "name": name,
        "form_action": manifest_form_action(web_url=settings.GITHUB_WEB_URL, organization=organization, state=state),
        "permissions": sorted(manifest["default_permissions"].items()),
        "events": [*manifest["default_events"], *ALWAYS_SENT],
        "site_is_local": not settings.SITE_IS_HTTPS,
        "configured": bool(settings.GITHUB_APP_ID and settings.GITHUB_APP_PRIVATE_KEY),
    }
