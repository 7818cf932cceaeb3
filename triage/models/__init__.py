from triage.duplicates.models.clusters import Cluster, ClusterMember, ContainmentEdge
from triage.duplicates.models.config import ConfigSnapshot
from triage.duplicates.models.embeddings import Embedding
from triage.duplicates.models.feedback import Feedback
from triage.duplicates.models.notices import GitHubNotice
from triage.duplicates.models.retrieval import ChangedPath, LshBucketEntry, Symbol
from triage.duplicates.models.runs import AnalysisRun, CandidateEdge
from triage.duplicates.models.signatures import ChannelSignature
from triage.failures.models.analyses import CheckFailureAnalysis, FixAttempt, PullRequestReview
from triage.failures.models.root_causes import RootCauseExample
from triage.report.models import TriageQueueItem

__all__ = [
    "AnalysisRun", "CandidateEdge", "ChangedPath", "ChannelSignature", "CheckFailureAnalysis", "Cluster",
    "ClusterMember", "ConfigSnapshot", "ContainmentEdge", "Embedding", "Feedback", "FixAttempt", "GitHubNotice",
    "LshBucketEntry", "PullRequestReview", "RootCauseExample", "Symbol", "TriageQueueItem",
]
