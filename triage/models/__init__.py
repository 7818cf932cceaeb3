"""The models Django loads for the triage app: those of its two halves and of the report."""

from triage.duplicates.models import (
    AnalysisRun,
    CandidateEdge,
    ChangedPath,
    ChannelSignature,
    Cluster,
    ClusterMember,
    CompetingWork,
    ConfigSnapshot,
    ContainmentEdge,
    Embedding,
    Feedback,
    GitHubNotice,
    IssueClaim,
    LshBucketEntry,
    Symbol,
)
from triage.failures.models import CheckFailureAnalysis, FixAttempt, PullRequestReview, RootCauseExample
from triage.report.models import TriageQueueItem

__all__ = [
    "AnalysisRun", "CandidateEdge", "ChangedPath", "ChannelSignature", "CheckFailureAnalysis", "Cluster",
    "ClusterMember", "CompetingWork", "ConfigSnapshot", "ContainmentEdge", "Embedding", "Feedback", "FixAttempt",
    "GitHubNotice", "IssueClaim", "LshBucketEntry", "PullRequestReview", "RootCauseExample", "Symbol",
    "TriageQueueItem",
]
