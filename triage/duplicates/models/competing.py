from django.db import models

from gitinsight.models.querysets import TenantQuerySet
from gitinsight.models.tenancy import TenantModel


class IssueClaim(TenantModel):
    """A pull request's claim on an issue, and where it was read: its title or description
    ("fixes #12"), one of its commits, a comment on it, or a comment on the issue naming it.
    Rebuilt for a pull request whenever its competing work is checked."""

    tenant_path = "repository__organization"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    pull_request = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE, related_name="issue_claims")
    issue_number = models.PositiveIntegerField()
    source = models.CharField(max_length=300, help_text="Where the claim was read, in words.")
    comment = models.ForeignKey("ingestion.Comment", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "pr_issue_claims"
        constraints = [
            models.UniqueConstraint(fields=["pull_request", "issue_number", "source"], name="pr_issue_claims_unique"),
        ]
        indexes = [models.Index(fields=["repository", "issue_number"], name="idx_issue_claims_repo_issue")]

    def __str__(self) -> str:
        return f"#{self.issue_number} ({self.source})"


class CompetingWorkQuerySet(TenantQuerySet):
    newest_ordering = ("-updated_at", "-pk")

    def involving(self, pull_request) -> "CompetingWorkQuerySet":
        """The competing work of a pull request, whichever side of the pair it is on."""
        return self.filter(models.Q(pull_request=pull_request) | models.Q(other_pull_request=pull_request))


class CompetingWork(TenantModel):
    """Work competing with a pull request that need not share a line with it: another pull
    request for the same issue, a bot's or newcomer's pull request racing it, or a commit pushed
    straight to the base branch that superseded it. `evidence_json` says why."""

    tenant_path = "repository__organization"

    objects = CompetingWorkQuerySet.as_manager()

    class Kind(models.TextChoices):
        SAME_ISSUE = "SAME_ISSUE", "Another pull request for the same issue"
        RACING = "RACING", "A bot's or newcomer's pull request racing an earlier one"
        SUPERSEDED_BY_COMMIT = "SUPERSEDED_BY_COMMIT", "Superseded by a commit on the base branch"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    pull_request = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE,
                                     related_name="competing_work")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    issue_number = models.PositiveIntegerField(null=True, blank=True)
    other_pull_request = models.ForeignKey("ingestion.PullRequest", null=True, blank=True,
                                           on_delete=models.CASCADE, related_name="+")
    commit_sha = models.CharField(max_length=64, blank=True)
    confidence = models.FloatField(help_text="Share of such verdicts the history of the benchmark repositories "
                                             "bore out.")
    evidence_json = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "pr_competing_work"
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["pull_request", "kind", "other_pull_request", "commit_sha"],
                                    name="pr_competing_work_unique", nulls_distinct=False),
            models.CheckConstraint(condition=~models.Q(evidence_json={}), name="pr_competing_work_has_evidence"),
        ]
        indexes = [
            models.Index(fields=["repository", "kind", "-updated_at"], name="idx_competing_repo_kind_time"),
            models.Index(fields=["other_pull_request"], name="idx_competing_other_pr"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on #{self.pull_request_id}"
