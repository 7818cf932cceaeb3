from ingestion.models.check_runs import CheckRun, CheckSuite, WorkflowJob, WorkflowRun
from ingestion.models.choices import AnalysisStatus, FileChannel, FileStatus, PullRequestState
from ingestion.models.commit import Commit, CommitFile
from ingestion.models.installation import Installation
from ingestion.models.issue import Issue, Milestone
from ingestion.models.pull_request import PullRequest, PullRequestCommit, PullRequestFile, PullRequestStateHistory
from ingestion.models.repository import Repository
from ingestion.models.review import Comment, Review
from ingestion.models.sync import ArchiveEvent, BackfillRun, SyncCursor
from ingestion.models.webhook import WebhookDelivery

__all__ = [
    "AnalysisStatus",
    "ArchiveEvent",
    "BackfillRun",
    "CheckRun",
    "CheckSuite",
    "Comment",
    "Commit",
    "CommitFile",
    "FileChannel",
    "FileStatus",
    "Installation",
    "Issue",
    "Milestone",
    "PullRequest",
    "PullRequestCommit",
    "PullRequestFile",
    "PullRequestState",
    "PullRequestStateHistory",
    "Repository",
    "Review",
    "SyncCursor",
    "WebhookDelivery",
    "WorkflowJob",
    "WorkflowRun",
]
