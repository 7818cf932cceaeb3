"""The models Django loads for the triage app: those of its two halves and of the report."""

from triage.duplicates.models import (
    AnalysisRun,
    CandidateEdge,
    ChangedPath,
    ChannelSignature,
    Cluster,
    ClusterMember,
    ConfigSnapshot,
    ContainmentEdge,
    Embedding,
    Feedback,
    GitHubNotice,
    LshBucketEntry,
    Symbol,
)
from triage.failures.models import CheckFailureAnalysis, FixAttempt, PullRequestReview, RootCauseExample
from triage.report.models import TriageQueueItem

__all__ = [
    "AnalysisRun", "CandidateEdge", "ChangedPath", "ChannelSignature", "CheckFailureAnalysis", "Cluster",
    "ClusterMember", "ConfigSnapshot", "ContainmentEdge", "Embedding", "Feedback", "FixAttempt", "GitHubNotice",
    "LshBucketEntry", "PullRequestReview", "RootCauseExample", "Symbol", "TriageQueueItem",
]
