"""Clusters of heads that are the same change or feature, their containment edges and the
suggested base: the PR whose change the others contain, else the earliest one."""

from __future__ import annotations

from ingestion.models import PullRequest
from triage.duplicates.core.scoring import ALGORITHM_VERSION, SAME_CHANGE, SAME_FEATURE
from triage.duplicates.core.signature import SIGNATURE_VERSION, PRSignature
from triage.duplicates.models import AnalysisRun, CandidateEdge, Cluster, ClusterMember, ContainmentEdge
from triage.duplicates.models.choices import ClusterRole, ContainmentBasis

CLUSTERED = (SAME_CHANGE, SAME_FEATURE)
#: a member "contains" another when at least this share of the other's fingerprints is in it
BASE_CONTAINMENT = 0.8


def clusters_update(*, run: AnalysisRun, edges: list[CandidateEdge], signature: PRSignature) -> Cluster | None:
    """Put the run's head and its SAME_CHANGE / SAME_FEATURE candidates in one cluster
    (merging clusters they already belong to) and re-infer the base."""
    linked = [edge for edge in edges if edge.category in CLUSTERED]
    if not linked:
        return None
    pr_ids = {run.pull_request_id} | {edge.pull_request_b_id for edge in linked}
    existing = list(Cluster.objects.filter(members__pull_request_id__in=pr_ids).distinct().order_by("created_at"))
    cluster = existing[0] if existing else Cluster.objects.create(
        repository_id=run.repository_id, algorithm_version=ALGORITHM_VERSION, signature_version=SIGNATURE_VERSION
    )
    for other in existing[1:]:
        for member in other.members.all():
            ClusterMember.objects.get_or_create(
                cluster=cluster, pull_request_id=member.pull_request_id, head_sha=member.head_sha,
                defaults={"repository_id": member.repository_id},
            )
        other.delete()
    heads = {(run.pull_request_id, run.head_sha)} | {(e.pull_request_b_id, e.head_sha_b) for e in linked}
    for pr_id, head_sha in heads:
        ClusterMember.objects.get_or_create(cluster=cluster, pull_request_id=pr_id, head_sha=head_sha,
                                            defaults={"repository_id": run.repository_id})
    for edge in linked:
        _containment(cluster, run, edge)
    _infer_base(cluster)
    return cluster


def _containment(cluster: Cluster, run: AnalysisRun, edge: CandidateEdge) -> None:
    # containment_a_in_b: share of A's fingerprints found in B, i.e. B contains A
    for source, target, value in (
        ((edge.pull_request_b_id, edge.head_sha_b), (run.pull_request_id, run.head_sha),
         edge.scores_json.get("containment_a_in_b", 0.0)),
        ((run.pull_request_id, run.head_sha), (edge.pull_request_b_id, edge.head_sha_b),
         edge.scores_json.get("containment_b_in_a", 0.0)),
    ):
        ContainmentEdge.objects.update_or_create(
            cluster=cluster, from_pull_request_id=source[0], from_head_sha=source[1],
            to_pull_request_id=target[0], to_head_sha=target[1], basis=ContainmentBasis.PROD_WINNOW,
            defaults={"repository_id": run.repository_id, "containment": max(0.0, min(1.0, float(value)))},
        )


def _infer_base(cluster: Cluster) -> None:
    members = list(cluster.members.all())
    prs = {pr.pk: pr for pr in PullRequest.objects.filter(pk__in=[m.pull_request_id for m in members])}
    contained_by_others: dict[int, int] = {}
    for edge in cluster.containment_edges.filter(containment__gte=BASE_CONTAINMENT):
        if edge.from_pull_request_id != edge.to_pull_request_id:
            contained_by_others[edge.to_pull_request_id] = contained_by_others.get(edge.to_pull_request_id, 0) + 1

    def earliest(member: ClusterMember) -> tuple:
        pr = prs.get(member.pull_request_id)
        return (pr.created_at is None, pr.created_at, pr.number) if pr else (True, None, 0)

    # the most-contained member is the base; ties (and no containment at all) go to the earliest
    base = min(members, key=lambda m: (-contained_by_others.get(m.pull_request_id, 0), earliest(m)))
    for member in members:
        role = ClusterRole.BASE_SUGGESTED if member.pk == base.pk else ClusterRole.MEMBER
        if member.role != role:
            member.role = role
            member.save(update_fields=["role"])
    open_only = all(prs[m.pull_request_id].state == PullRequest.State.OPEN for m in members if m.pull_request_id in prs)
    cluster.state = Cluster.State.OPEN_ONLY if open_only else Cluster.State.MIXED
    cluster.summary_json = {"base_pull_request_id": base.pull_request_id, "members": len(members)}
    cluster.save(update_fields=["state", "summary_json", "updated_at"])
