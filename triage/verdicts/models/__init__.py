"""Tables of the check-run part: policies, one check run per pull request head, the posts made
about it, and the one comment per pull request."""

from triage.verdicts.models.check_runs import CheckRunPolicy, CheckRunPost, PullRequestCheckRun, RiskGate
from triage.verdicts.models.comments import GitHubNotice

__all__ = ["CheckRunPolicy", "CheckRunPost", "GitHubNotice", "PullRequestCheckRun", "RiskGate"]
