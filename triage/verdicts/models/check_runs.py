"""GitInsight's check runs on GitHub: who turned them on and with which gates, the one check
run of each pull request head with the verdict it carries, and every request made about it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from gitinsight.models.tenancy import TenantModel


class RiskGate(models.TextChoices):
    NONE = "", "never"
    MEDIUM = "medium", "at medium risk or above"
    HIGH = "high", "at high risk"


class CheckRunPolicy(TenantModel):
    """Whether GitInsight puts its check run on pull requests, and when it concludes `failure`
    rather than `neutral`. A row without a repository holds for every repository of the
    organization; a repository's own row replaces it. Without a row, nothing is posted."""

    tenant_path = "organization"

    organization = models.ForeignKey("gitinsight.Organization", on_delete=models.CASCADE,
                                     related_name="check_run_policies")
    repository = models.ForeignKey(
        "ingestion.Repository", null=True, blank=True, on_delete=models.CASCADE, related_name="check_run_policies",
        help_text="Empty: every repository of the organization that has no policy of its own.",
    )
    enabled = models.BooleanField(
        default=False, help_text="Post one GitInsight check run on each pull request head and edit it as the "
                                 "analyses finish.")
    comment = models.BooleanField(
        default=False, help_text="Also keep one comment on the pull request that mentions its author, edited "
                                 "when the verdict changes.")
    fail_at_risk = models.CharField(
        max_length=10, choices=RiskGate.choices, default=RiskGate.NONE, blank=True,
        help_text="Conclude failure when the pull request's commit risk reaches this level.")
    fail_on_merged_duplicate = models.BooleanField(
        default=False, help_text="Conclude failure when the pull request is the same change as one already "
                                 "merged (at the configured duplicate threshold).")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "check_run_policies"
        verbose_name = "check run policy"
        verbose_name_plural = "check run policies"
        ordering = ["organization", "repository"]
        constraints = [
            models.UniqueConstraint(fields=["organization"], condition=models.Q(repository__isnull=True),
                                    name="check_run_policy_one_per_organization"),
            models.UniqueConstraint(fields=["repository"], name="check_run_policy_one_per_repository"),
            models.CheckConstraint(condition=models.Q(fail_at_risk__in=["", "medium", "high"]),
                                   name="check_run_policy_risk_gate_valid"),
        ]

    def __str__(self) -> str:
        where = self.repository.full_name if self.repository_id else f"every repository of {self.organization}"
        return f"check runs {'on' if self.enabled else 'off'} for {where}"

    def clean(self) -> None:
        if self.repository_id and self.organization_id and self.repository.organization_id != self.organization_id:
            raise ValidationError({"repository": "This repository belongs to another organization."})


class PullRequestCheckRun(TenantModel):
    """The one GitInsight check run of a pull request head: created (in progress) when the head
    is first seen, edited as each analysis finishes, completed once all have. The verdict it
    should show is kept here, so a refused or failed request loses nothing and is retried."""

    tenant_path = "repository__organization"

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "in progress"
        COMPLETED = "completed", "completed"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    pull_request = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE,
                                     related_name="gitinsight_check_runs")
    head_sha = models.CharField(max_length=64)
    github_id = models.BigIntegerField(null=True, blank=True, unique=True, help_text="GitHub's check run id.")
    html_url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.IN_PROGRESS)
    conclusion = models.CharField(max_length=20, blank=True, help_text="neutral, failure, or skipped when superseded.")
    title = models.CharField(max_length=255, blank=True)
    summary = models.TextField(blank=True, help_text="The Markdown the check run shows (or will show).")
    content_sha256 = models.CharField(max_length=64, blank=True, help_text="Of the verdict as it should be shown.")
    posted_sha256 = models.CharField(max_length=64, blank=True, help_text="Of the verdict GitHub shows.")
    superseded_by = models.CharField(max_length=64, blank=True, help_text="The newer head that replaced this one.")
    rerun_requested_by = models.CharField(max_length=255, blank=True)
    rerun_requested_at = models.DateTimeField(null=True, blank=True)
    failed_posts = models.PositiveIntegerField(default=0, help_text="Consecutive requests GitHub refused or missed.")
    last_error = models.TextField(blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "pull_request_check_runs"
        verbose_name = "GitInsight check run"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["pull_request", "head_sha"], name="pr_check_run_one_per_head"),
            models.CheckConstraint(condition=models.Q(status__in=["in_progress", "completed"]),
                                   name="pr_check_run_status_valid"),
        ]
        indexes = [
            models.Index(fields=["retry_at"], name="idx_pr_check_runs_retry",
                         condition=models.Q(retry_at__isnull=False)),
            models.Index(fields=["status", "updated_at"], name="idx_pr_check_runs_status"),
        ]

    def __str__(self) -> str:
        return f"GitInsight on #{self.pull_request_id} at {self.head_sha[:10]}"

    @property
    def is_posted(self) -> bool:
        return bool(self.github_id) and self.posted_sha256 == self.content_sha256


class CheckRunPost(TenantModel):
    """Every request GitInsight made to GitHub about one of its check runs or comments, with
    what it asked for and what GitHub answered (the audit of what was said on GitHub)."""

    tenant_path = "check_run__repository__organization"

    class Action(models.TextChoices):
        CREATE = "create", "created the check run"
        ADOPT = "adopt", "found the check run already on GitHub"
        UPDATE = "update", "edited the check run"
        COMMENT = "comment", "posted the comment"
        COMMENT_EDIT = "comment_edit", "edited the comment"

    check_run = models.ForeignKey(PullRequestCheckRun, on_delete=models.CASCADE, related_name="posts")
    action = models.CharField(max_length=20, choices=Action.choices)
    succeeded = models.BooleanField()
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    check_status = models.CharField(max_length=15, blank=True)
    conclusion = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=255, blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "check_run_posts"
        verbose_name = "post to GitHub"
        verbose_name_plural = "posts to GitHub"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["check_run", "-created_at"], name="idx_check_run_posts_run")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({'ok' if self.succeeded else 'failed'})"
