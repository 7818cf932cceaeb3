"""Retrieval index tables: candidates are found with B-tree lookups on these,
never by scanning signatures.

The repository column has no index of its own: every index of these tables leads with it. With
one, a repository whose rows the planner's statistics do not know yet (a bulk backfill can stay
under autovacuum's analyze threshold on a large table) is planned as a handful of rows, and each
candidate lookup walked all of that repository's rows through it instead of the posting-list
index (2.6 s a query on astropy with its pull request heads, against milliseconds)."""

from django.db import models

from gitinsight.models.tenancy import TenantModel
from ingestion.models.choices import FileChannel
from triage.duplicates.models.choices import SymbolKind


class ChangedPath(TenantModel):
    """A changed path of a head with its directory prefixes (table `pr_changed_paths`)."""

    tenant_path = "repository__organization"

    # no index of its own: see the module docstring
    repository = models.ForeignKey(
        "ingestion.Repository", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    pull_request = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE, related_name="+")
    head_sha = models.CharField(max_length=64)
    channel = models.CharField(max_length=10, choices=FileChannel.choices)
    path = models.TextField()
    dir_prefix_1 = models.TextField(blank=True)
    dir_prefix_2 = models.TextField(blank=True)
    dir_prefix_3 = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "pr_changed_paths"
        constraints = [
            models.UniqueConstraint(
                fields=["pull_request", "head_sha", "channel", "path"], name="pr_changed_paths_unique_key"
            ),
        ]
        indexes = [
            # posting lists: newest pull request first, so capped lookups stop early and a replay's
            # "older than" bound is an index range; head_sha included for index-only scans
            models.Index(fields=["repository", "path", "-pull_request"], include=["head_sha"],
                         name="idx_pr_paths_repo_path_pr"),
            models.Index(fields=["repository", "dir_prefix_2", "-pull_request"], include=["head_sha"],
                         name="idx_pr_paths_repo_prefix2pr"),
            models.Index(fields=["repository", "channel", "dir_prefix_2"], name="idx_pr_paths_repo_chan_prefix2"),
            models.Index(fields=["repository", "channel", "-created_at"], name="idx_pr_paths_repo_chan_time"),
        ]

    def __str__(self) -> str:
        return self.path


class Symbol(TenantModel):
    """A declaration, export, import or test name touched by a head (table `pr_symbols`)."""

    tenant_path = "repository__organization"

    # no index of its own: see the module docstring
    repository = models.ForeignKey(
        "ingestion.Repository", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    pull_request = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE, related_name="+")
    head_sha = models.CharField(max_length=64)
    symbol = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=SymbolKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "pr_symbols"
        constraints = [
            models.UniqueConstraint(
                fields=["pull_request", "head_sha", "kind", "symbol"], name="pr_symbols_unique_key"
            ),
        ]
        indexes = [
            models.Index(fields=["repository", "kind", "symbol", "-pull_request"], include=["head_sha"],
                         name="idx_pr_symbols_repo_sym_pr"),
            models.Index(fields=["repository", "kind", "symbol", "-created_at"], name="idx_pr_symbols_repo_sym_time"),
            models.Index(fields=["repository", "pull_request", "head_sha"], name="idx_pr_symbols_repo_pr_head"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.symbol}"


class LshBucketEntry(TenantModel):
    """One MinHash LSH band bucket a head falls into (table `lsh_bucket_entries`); buckets
    are rebuilt from signatures if lost. Text-like keys (references, title words) share the
    table under their own `index_name`."""

    tenant_path = "repository__organization"

    # no index of its own: see the module docstring
    repository = models.ForeignKey(
        "ingestion.Repository", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    index_name = models.CharField(max_length=20)
    bucket_id = models.BigIntegerField()
    pull_request = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE, related_name="+")
    head_sha = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "lsh_bucket_entries"
        verbose_name = "LSH bucket entry"
        verbose_name_plural = "LSH bucket entries"
        constraints = [
            models.UniqueConstraint(
                fields=["index_name", "bucket_id", "pull_request", "head_sha"], name="lsh_bucket_entries_unique_key"
            ),
        ]
        indexes = [
            models.Index(fields=["repository", "index_name", "bucket_id", "-pull_request"], include=["head_sha"],
                         name="idx_lsh_repo_bucket_pr"),
            models.Index(fields=["pull_request", "head_sha"], name="idx_lsh_pr_head"),
        ]

    def __str__(self) -> str:
        return f"{self.index_name}:{self.bucket_id}"
