"""Dashboard items from analysis: open pull requests whose current head is risky."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F

from analysis.models import PullRequestRiskPrediction, RiskLevel
from gitinsight.attention import AttentionItem
from gitinsight.selectors import visible_to


def risky_pull_requests(user: AbstractBaseUser) -> list[AttentionItem]:
    predictions = visible_to(
        PullRequestRiskPrediction.objects.filter(
            pull_request__state="open", head_sha=F("pull_request__head_sha"),
            risk_level__in=[RiskLevel.HIGH, RiskLevel.MEDIUM],
        ),
        user,
        organization_path="pull_request__repository__organization",
    ).select_related("pull_request__repository").order_by("pull_request_id", "-created_at").distinct("pull_request_id")
    items = []
    for prediction in predictions[:200]:
        pull_request = prediction.pull_request
        factors = ", ".join(item["feature"] for item in prediction.top_features[:3])
        items.append(AttentionItem(
            kind="risky_pull_request",
            repository=pull_request.repository.full_name,
            title=f"#{pull_request.number} {pull_request.title}",
            url=f"/admin/ingestion/pullrequest/{pull_request.pk}/change/",
            severity="high" if prediction.risk_level == RiskLevel.HIGH else "medium",
            detail=f"risk {prediction.probability:.0%}; {factors}",
            score=prediction.probability,
        ))
    return items
