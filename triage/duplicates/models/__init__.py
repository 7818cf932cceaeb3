"""Tables of duplicate detection: signatures and their index, runs with scored edges,
clusters, feedback, config snapshots and embeddings."""

from triage.duplicates.models.clusters import Cluster, ClusterMember, ContainmentEdge
from triage.duplicates.models.config import ConfigSnapshot
from triage.duplicates.models.embeddings import Embedding
from triage.duplicates.models.feedback import Feedback
from triage.duplicates.models.retrieval import ChangedPath, LshBucketEntry, Symbol
from triage.duplicates.models.runs import AnalysisRun, CandidateEdge
from triage.duplicates.models.signatures import ChannelSignature

__all__ = [
    "AnalysisRun", "CandidateEdge", "ChangedPath", "ChannelSignature", "Cluster", "ClusterMember", "ConfigSnapshot",
    "ContainmentEdge", "Embedding", "Feedback", "LshBucketEntry", "Symbol",
]
