"""Tables of duplicate detection: signatures and their index, runs with scored edges,
clusters, competing work and the issue claims behind it, feedback, config snapshots and
embeddings."""

from triage.duplicates.models.clusters import Cluster, ClusterMember, ContainmentEdge
from triage.duplicates.models.competing import CompetingWork, IssueClaim
from triage.duplicates.models.config import ConfigSnapshot
from triage.duplicates.models.embeddings import Embedding
from triage.duplicates.models.feedback import Feedback
from triage.duplicates.models.retrieval import ChangedPath, LshBucketEntry, Symbol
from triage.duplicates.models.runs import AnalysisRun, CandidateEdge
from triage.duplicates.models.signatures import ChannelSignature

__all__ = [
    "AnalysisRun", "CandidateEdge", "ChangedPath", "ChannelSignature", "Cluster", "ClusterMember", "CompetingWork",
    "ConfigSnapshot", "ContainmentEdge", "Embedding", "Feedback", "IssueClaim", "LshBucketEntry", "Symbol",
]
