from django.db import models

from gitinsight.models.tenancy import TenantModel


class GitHubNotice(TenantModel):
    """The one comment GitInsight keeps on a pull request about a SAME_CHANGE verdict; it is
    edited when the verdict changes and never posted twice (`body_sha256` skips no-op edits)."""

    tenant_path = "repository__organization"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    pull_request = models.OneToOneField("ingestion.PullRequest", on_delete=models.CASCADE,
                                        related_name="triage_notice")
    candidate_pull_request = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE, related_name="+")
    head_sha = models.CharField(max_length=64)
    github_comment_id = models.BigIntegerField()
    body_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "triage_github_notices"

    def __str__(self) -> str:
        return f"comment {self.github_comment_id} on #{self.pull_request_id}"
