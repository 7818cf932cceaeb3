from triage.models.checks import CheckFailureAnalysis, FixAttempt, PullRequestReview
from triage.models.clusters import Cluster, ClusterMember, ContainmentEdge
from triage.models.competing import CompetingWork, IssueClaim
from triage.models.config import ConfigSnapshot
from triage.models.embeddings import Embedding
from triage.models.feedback import Feedback
from triage.models.notices import GitHubNotice
from triage.models.queue import TriageQueueItem
from triage.models.retrieval import ChangedPath, LshBucketEntry, Symbol
from triage.models.root_causes import RootCauseExample
from triage.models.runs import AnalysisRun, CandidateEdge
from triage.models.signatures import ChannelSignature

__all__ = [
    "AnalysisRun", "CandidateEdge", "ChangedPath", "ChannelSignature", "CheckFailureAnalysis", "Cluster",
    "ClusterMember", "CompetingWork", "ConfigSnapshot", "ContainmentEdge", "Embedding", "Feedback", "FixAttempt",
    "GitHubNotice", "IssueClaim", "LshBucketEntry", "PullRequestReview", "RootCauseExample", "Symbol",
    "TriageQueueItem",
]
