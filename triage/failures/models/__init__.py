"""Tables of failed-check analysis: analyses with their verdicts, fix attempts, the per-head
reviews and the confirmed root causes of a repository."""

from triage.failures.models.analyses import CheckFailureAnalysis, FixAttempt, PullRequestReview
from triage.failures.models.root_causes import RootCauseExample

__all__ = ["CheckFailureAnalysis", "FixAttempt", "PullRequestReview", "RootCauseExample"]
