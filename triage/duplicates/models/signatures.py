from django.db import models

from gitinsight.models.tenancy import TenantModel
from ingestion.models.choices import FileChannel


class ChannelSignature(TenantModel):
    """Derived features of one channel of a pull request head (table `pr_channel_signatures`).
    Raw patches are not kept; sketches are packed bytes (MinHash 128 x uint32 little-endian,
    winnowing fingerprints int64 little-endian)."""

    tenant_path = "repository__organization"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    pull_request = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE, related_name="signatures")
    head_sha = models.CharField(max_length=64)
    channel = models.CharField(max_length=10, choices=FileChannel.choices)
    signature_version = models.PositiveSmallIntegerField()
    computed_at = models.DateTimeField(auto_now_add=True)
    canonical_diff_hash = models.CharField(max_length=64, blank=True)
    simhash64 = models.BigIntegerField(null=True, blank=True)
    minhash = models.BinaryField(null=True, blank=True)
    minhash_shingle_count = models.PositiveIntegerField(default=0)
    winnow_fingerprints = models.BinaryField(null=True, blank=True)
    winnow_count = models.PositiveIntegerField(default=0)
    paths_json = models.JSONField(default=list, blank=True)
    exports_json = models.JSONField(default=list, blank=True)
    symbols_json = models.JSONField(default=list, blank=True)
    imports_json = models.JSONField(default=list, blank=True)
    test_intent_json = models.JSONField(default=dict, blank=True)
    doc_structure_json = models.JSONField(default=dict, blank=True)
    size_metrics_json = models.JSONField(default=dict, blank=True)
    errors_json = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "pr_channel_signatures"
        constraints = [
            models.UniqueConstraint(
                fields=["pull_request", "head_sha", "channel", "signature_version"], name="pr_signatures_unique_key"
            ),
        ]
        indexes = [
            models.Index(fields=["repository", "channel", "-computed_at"], name="idx_pr_sig_repo_channel_time"),
            models.Index(fields=["repository", "pull_request", "head_sha"], name="idx_pr_sig_repo_pr_head"),
            models.Index(
                fields=["repository", "canonical_diff_hash"],
                condition=models.Q(channel="PRODUCTION"),
                name="idx_pr_sig_repo_prod_hash",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel.lower()} signature of {self.head_sha[:10]}"
