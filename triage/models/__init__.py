"""The models Django loads for the triage app: those of its two halves, of the report and of
the check runs that publish it."""

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
    LshBucketEntry,
    Symbol,
)
from triage.failures.models import CheckFailureAnalysis, FixAttempt, PullRequestReview, RootCauseExample
from triage.report.models import TriageQueueItem
from triage.verdicts.models import CheckRunPolicy, CheckRunPost, GitHubNotice, PullRequestCheckRun

__all__ = [
    "AnalysisRun", "CandidateEdge", "ChangedPath", "ChannelSignature", "CheckFailureAnalysis", "CheckRunPolicy",
    "CheckRunPost", "Cluster", "ClusterMember", "ConfigSnapshot", "ContainmentEdge", "Embedding", "Feedback",
    "FixAttempt", "GitHubNotice", "LshBucketEntry", "PullRequestCheckRun", "PullRequestReview", "RootCauseExample",
    "Symbol", "TriageQueueItem",
]
