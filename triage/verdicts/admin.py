"""Admin pages of GitInsight's check runs: the policies that turn them on (per organization and
per repository, off by default) with their gates, the check run of each head with the verdict it
shows and what GitHub answered, every post made, and the comments kept on pull requests."""

from __future__ import annotations

from functools import partial

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import ngettext
from django_q.tasks import async_task

from gitinsight.admin.scoping import ReadOnlyAdmin, TenantScopedAdmin, role_action
from gitinsight.security.roles import Action
from triage.verdicts.models import CheckRunPolicy, CheckRunPost, GitHubNotice, PullRequestCheckRun
from triage.verdicts.selectors import check_run_state


class CheckRunPolicyAdmin(TenantScopedAdmin):
    change_action = Action.CONFIGURE
    list_display = ("__str__", "organization", "repository", "enabled", "comment", "fail_at_risk",
                    "fail_on_merged_duplicate", "updated_at")
    list_filter = ("enabled", "organization")
    fields = ("organization", "repository", "enabled", "comment", "fail_at_risk", "fail_on_merged_duplicate")


class CheckRunPostInline(admin.TabularInline):
    model = CheckRunPost
    extra = 0
    can_delete = False
    fields = ("created_at", "action", "succeeded", "http_status", "check_status", "conclusion", "title", "error")
    readonly_fields = fields
    ordering = ("-created_at",)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class PullRequestCheckRunAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ("pull_request", "head", "status", "conclusion", "title", "on_github", "updated_at")
    list_filter = ("status", "conclusion", "repository")
    list_select_related = ("pull_request", "repository")
    search_fields = ("title", "head_sha")
    fields = ("repository", "pull_request", "head_sha", "state", "github_link", "status", "conclusion", "title",
              "summary", "superseded_by", "rerun_requested_by", "rerun_requested_at", "failed_posts", "last_error",
              "retry_at", "created_at", "completed_at")
    readonly_fields = fields
    inlines = [CheckRunPostInline]
    actions = ["post_again"]

    @admin.display(description="head")
    def head(self, row: PullRequestCheckRun) -> str:
        return row.head_sha[:10]

    @admin.display(description="on GitHub", boolean=True)
    def on_github(self, row: PullRequestCheckRun) -> bool:
        return row.is_posted

    @admin.display(description="where it stands")
    def state(self, row: PullRequestCheckRun) -> str:
        return check_run_state(row)

    @admin.display(description="on GitHub")
    def github_link(self, row: PullRequestCheckRun) -> str:
        return format_html('<a href="{}">{}</a>', row.html_url, row.html_url) if row.html_url else "—"

    @role_action(Action.RUN_JOBS, description="Post the selected check runs again now")
    def post_again(self, request: HttpRequest, queryset: QuerySet) -> None:
        heads = list(queryset.values_list("pull_request_id", "head_sha"))
        for pull_request_id, head_sha in heads:
            transaction.on_commit(partial(async_task, "triage.verdicts.tasks.check_run_publish_task",
                                          pull_request_id, head_sha))
        self.message_user(request, ngettext("%(count)d check run will be posted again.",
                                            "%(count)d check runs will be posted again.",
                                            len(heads)) % {"count": len(heads)}, messages.SUCCESS)


class CheckRunPostAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ("created_at", "check_run", "action", "succeeded", "http_status", "conclusion", "title")
    list_filter = ("action", "succeeded")
    list_select_related = ("check_run",)


class GitHubNoticeAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    list_display = ("pull_request", "head_sha", "github_comment_id", "updated_at")


def verdicts_admin_register(site: admin.AdminSite) -> None:
    """The admin pages of GitInsight's check runs."""
    site.register(CheckRunPolicy, CheckRunPolicyAdmin)
    site.register(PullRequestCheckRun, PullRequestCheckRunAdmin)
    site.register(CheckRunPost, CheckRunPostAdmin)
    site.register(GitHubNotice, GitHubNoticeAdmin)
