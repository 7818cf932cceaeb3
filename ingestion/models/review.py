from django.db import models

from gitinsight.models.tenancy import TenantModel


class Review(TenantModel):
    """A pull request review by a person (table `reviews`)."""

    tenant_path = "repository__organization"

    github_id = models.BigIntegerField(unique=True)
    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    pull_request = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE, related_name="reviews")
    author_login = models.CharField(max_length=255, blank=True)
    author_github_id = models.BigIntegerField(null=True, blank=True)
    state = models.CharField(max_length=20, help_text="approved, changes_requested, commented, dismissed, pending")
    body = models.TextField(blank=True)
    commit_sha = models.CharField(max_length=64, blank=True)
    html_url = models.URLField(max_length=500, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    ingested_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "reviews"
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["author_login"], name="idx_reviews_author"),
            models.Index(fields=["state"], name="idx_reviews_state"),
        ]

    def __str__(self) -> str:
        return f"{self.author_login}: {self.state.replace('_', ' ').lower()}"


class Comment(TenantModel):
    """Issue comments, pull request conversation comments and review (diff) comments in
    one table (table `comments`); `kind` tells which, and the matching FK is set."""

    tenant_path = "repository__organization"

    class Kind(models.TextChoices):
        ISSUE = "issue"
        PULL_REQUEST = "pull_request"
        REVIEW = "review"

    github_id = models.BigIntegerField(unique=True)
    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    issue = models.ForeignKey(
        "ingestion.Issue", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    pull_request = models.ForeignKey(
        "ingestion.PullRequest", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    in_reply_to_github_id = models.BigIntegerField(null=True, blank=True)
    author_login = models.CharField(max_length=255, blank=True)
    author_github_id = models.BigIntegerField(null=True, blank=True)
    body = models.TextField(blank=True)
    reactions = models.JSONField(default=dict, blank=True)
    path = models.TextField(blank=True, help_text="Review comments: the file commented on.")
    line = models.PositiveIntegerField(null=True, blank=True)
    commit_sha = models.CharField(max_length=64, blank=True)
    html_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    ingested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "comments"
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["issue", "pull_request", "review"]), name="comments_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "issue"], name="idx_comments_parent_issue"),
            models.Index(fields=["kind", "pull_request"], name="idx_comments_parent_pr"),
            models.Index(fields=["author_login"], name="idx_comments_author"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} comment {self.github_id}"
