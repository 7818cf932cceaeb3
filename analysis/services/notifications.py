"""Notices of commit risk: followers hear of newly ingested commits the active model scored high."""

from __future__ import annotations

from analysis.core.reasons import reasons_sentence
from analysis.models import CommitRiskPrediction, RiskLevel
from workspace.services.notifications import followers_notify


def high_risk_commits_notify(*, repository_id: int, commit_ids: list[int]) -> int:
    """Tell followers about newly ingested commits the active model scored high."""
    sent = 0
    predictions = CommitRiskPrediction.objects.filter(
        commit_id__in=commit_ids, commit__repository_id=repository_id, risk_level=RiskLevel.HIGH
    ).select_related("commit")
    for prediction in predictions:
        commit = prediction.commit
        why = reasons_sentence(prediction.top_features, percentile=prediction.percentile)
        sent += followers_notify(
            repository_id=repository_id,
            kind="high_risk_commit",
            event_key=f"high_risk_commit:{commit.sha}",
            subject=f"High-risk commit {commit.sha[:10]} ({prediction.probability:.0%})",
            body=f"{commit.message.splitlines()[0] if commit.message else ''}\n{why}.",
            url=f"/admin/analysis/commitriskprediction/{prediction.pk}/change/",
        )
    return sent
