from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models

from gitinsight.models.tenancy import TenantModel


class Milestone(TenantModel):
    """A GitHub milestone. `total_issues` and `completion_percentage` are
    derived from GitHub's open/closed counts when the row is written."""

    tenant_path = "repository__organization"

    github_id = models.BigIntegerField(unique=True, null=True, blank=True)
    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="milestones")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    state = models.CharField(max_length=10, default="open")
    creator_login = models.CharField(max_length=255, blank=True)
    html_url = models.URLField(max_length=500, blank=True)
    start_date = models.DateField(null=True, blank=True, help_text="Not a GitHub field; set by maintainers.")
    due_on = models.DateTimeField(null=True, blank=True)
    open_issues = models.PositiveIntegerField(default=0)
    closed_issues = models.PositiveIntegerField(default=0)
    total_issues = models.PositiveIntegerField(default=0)
    completion_percentage = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    ingested_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "milestones"
        ordering = ["due_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["repository", "number"], name="milestones_unique_number"),
            models.CheckConstraint(condition=models.Q(state__in=["open", "closed"]), name="milestones_state_valid"),
        ]
        indexes = [
            models.Index(fields=["state"], name="idx_milestones_state"),
            models.Index(fields=["due_on"], name="idx_milestones_due_date"),
            models.Index(fields=["repository", "state", "-due_on"], name="idx_milestones_repo_state_due"),
        ]

    def __str__(self) -> str:
        return self.title


class Issue(TenantModel):
    """A GitHub issue. GitHub also reports pull requests as issues
    (e.g. in issue_comment events); those rows carry `is_pull_request`."""

    tenant_path = "repository__organization"

    github_id = models.BigIntegerField(unique=True, null=True, blank=True)
    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="issues")
    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="issues")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=1000)
    body = models.TextField(blank=True)
    state = models.CharField(max_length=10, default="open")
    state_reason = models.CharField(max_length=20, blank=True)
    labels = models.JSONField(default=list, blank=True, help_text="Label names.")
    assignees = models.JSONField(default=list, blank=True, help_text="Logins.")
    author_login = models.CharField(max_length=255, blank=True)
    author_github_id = models.BigIntegerField(null=True, blank=True)
    html_url = models.URLField(max_length=500, blank=True)
    locked = models.BooleanField(default=False)
    comments_count = models.PositiveIntegerField(default=0)
    is_pull_request = models.BooleanField(default=False)
    closed_by_login = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    ingested_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "issues"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["repository", "number"], name="issues_unique_number"),
            models.CheckConstraint(condition=models.Q(state__in=["open", "closed"]), name="issues_state_valid"),
        ]
        indexes = [
            models.Index(fields=["state"], name="idx_issues_state"),
            models.Index(fields=["author_login"], name="idx_issues_author"),
            models.Index(fields=["-created_at"], name="idx_issues_created"),
            models.Index(fields=["repository", "state", "-updated_at"], name="idx_issues_repo_state_updated"),
            models.Index(fields=["repository", "milestone"], condition=models.Q(state="open"), name="idx_issues_open"),
            GinIndex(fields=["labels"], name="idx_issues_labels_gin"),
            GinIndex(SearchVector("title", "body", config="english"), name="idx_issues_fts"),
            # The API lists newest first by id, per repository too (ingestion.api).
            models.Index(fields=["repository", "-id"], name="idx_issues_repo_id"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.title}"
