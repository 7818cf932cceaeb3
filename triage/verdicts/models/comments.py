from django.db import models

from gitinsight.models.tenancy import TenantModel


class GitHubNotice(TenantModel):
    """The one comment GitInsight keeps on a pull request when its repository asks for one: it
    mentions the author, says what the check run says and links to it; it is edited when the
    verdict changes and never posted twice (`body_sha256` skips no-op edits). Comments posted
    for a SAME_CHANGE verdict before the check run existed are the same rows, edited from now on."""

    tenant_path = "repository__organization"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    pull_request = models.OneToOneField("ingestion.PullRequest", on_delete=models.CASCADE,
                                        related_name="triage_notice")
    candidate_pull_request = models.ForeignKey(
        "ingestion.PullRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The duplicate the comment named, when it was about one.",
    )
    head_sha = models.CharField(max_length=64)
    github_comment_id = models.BigIntegerField()
    body_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "triage_github_notices"
        verbose_name = "comment on GitHub"
        verbose_name_plural = "comments on GitHub"

    def __str__(self) -> str:
        return f"comment {self.github_comment_id} on #{self.pull_request_id}"
