"""The models Django loads for the triage app: those of its two halves, of the report and of
the check runs that publish it."""

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
    IssueClaim,
    LshBucketEntry,
    Symbol,
)
from triage.failures.models import CheckFailureAnalysis, FixAttempt, PullRequestReview, RootCauseExample
from triage.report.models import TriageQueueItem
from triage.verdicts.models import CheckRunPolicy, CheckRunPost, GitHubNotice, PullRequestCheckRun

__all__ = [
    "AnalysisRun", "CandidateEdge", "ChangedPath", "ChannelSignature", "CheckFailureAnalysis", "CheckRunPolicy",
    "CheckRunPost", "Cluster", "ClusterMember", "CompetingWork", "ConfigSnapshot", "ContainmentEdge", "Embedding",
    "Feedback", "FixAttempt", "GitHubNotice", "IssueClaim", "LshBucketEntry", "PullRequestCheckRun",
    "PullRequestReview", "RootCauseExample", "Symbol", "TriageQueueItem",
]
