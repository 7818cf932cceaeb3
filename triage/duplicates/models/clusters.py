import uuid

from django.db import models

from gitinsight.models.tenancy import TenantModel
from triage.duplicates.models.choices import ClusterRole, ContainmentBasis


class Cluster(TenantModel):
    """PR heads that are the same change or feature (table `pr_clusters`)."""

    tenant_path = "repository__organization"

    class State(models.TextChoices):
        OPEN_ONLY = "OPEN_ONLY"
        MIXED = "MIXED"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    algorithm_version = models.PositiveSmallIntegerField()
    signature_version = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN_ONLY)
    summary_json = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "pr_clusters"
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["repository", "-updated_at"], name="idx_clusters_repo_updated")]

    def __str__(self) -> str:
        return f"Group of related pull requests formed {self.created_at:%-d %b %Y}"


class ClusterMember(TenantModel):
    tenant_path = "repository__organization"

    Role = ClusterRole

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="members")
    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    pull_request = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE, related_name="+")
    head_sha = models.CharField(max_length=64)
    role = models.CharField(max_length=20, choices=ClusterRole.choices, default=ClusterRole.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "pr_cluster_members"
        constraints = [
            models.UniqueConstraint(fields=["cluster", "pull_request", "head_sha"], name="pr_cluster_members_unique"),
        ]
        indexes = [
            models.Index(fields=["repository", "pull_request"], name="idx_cluster_members_repo_pr"),
            models.Index(fields=["repository", "cluster"], name="idx_cluster_members_repo_clu"),
        ]

    def __str__(self) -> str:
        return f"#{self.pull_request.number} ({self.get_role_display().lower()})"


class ContainmentEdge(TenantModel):
    """`from` contains this share of `to`'s production change (table `pr_containment_edges`)."""

    tenant_path = "repository__organization"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="containment_edges")
    from_pull_request = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE, related_name="+")
    from_head_sha = models.CharField(max_length=64)
    to_pull_request = models.ForeignKey("ingestion.PullRequest", on_delete=models.CASCADE, related_name="+")
    to_head_sha = models.CharField(max_length=64)
    basis = models.CharField(max_length=20, choices=ContainmentBasis.choices)
    containment = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "pr_containment_edges"
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "from_pull_request", "from_head_sha", "to_pull_request", "to_head_sha", "basis"],
                name="pr_containment_edges_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(containment__gte=0) & models.Q(containment__lte=1), name="pr_containment_in_0_1"
            ),
        ]
        indexes = [
            models.Index(fields=["repository", "cluster"], name="idx_containment_repo_cluster"),
            models.Index(fields=["repository", "from_pull_request"], name="idx_containment_repo_from"),
            models.Index(fields=["repository", "to_pull_request"], name="idx_containment_repo_to"),
        ]

    def __str__(self) -> str:
        return f"#{self.from_pull_request.number} contains {self.containment:.0%} of #{self.to_pull_request.number}"
