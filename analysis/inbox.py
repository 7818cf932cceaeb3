"""Dashboard items from analysis: open pull requests whose current head is risky."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F

from analysis.core.charts import trend_chart
from analysis.core.reasons import reasons_sentence
from analysis.models import Insight, PullRequestRiskPrediction, RiskLevel
from workspace.core.svg_charts import Frame
from workspace.inbox import AttentionItem


def risky_pull_requests(user: AbstractBaseUser) -> list[AttentionItem]:
    predictions = PullRequestRiskPrediction.objects.visible_to(user).filter(
        pull_request__state="open", head_sha=F("pull_request__head_sha"),
        risk_level__in=[RiskLevel.HIGH, RiskLevel.MEDIUM],
    ).select_related("pull_request__repository").latest_per_pull_request()
    items = []
    for prediction in predictions[:200]:
        pull_request = prediction.pull_request
        why = reasons_sentence(prediction.top_features, percentile=prediction.percentile)
        items.append(AttentionItem(
            kind="risky_pull_request",
            repository=pull_request.repository.full_name,
            title=f"#{pull_request.number} {pull_request.title}",
            url=f"/admin/ingestion/pullrequest/{pull_request.pk}/change/",
            severity="high" if prediction.risk_level == RiskLevel.HIGH else "medium",
            detail=f"risk {prediction.probability:.0%}; {why}",
            score=prediction.probability,
        ))
    return items


def repository_trend_charts(user: AbstractBaseUser, repositories: list[str]) -> dict[str, list[str]]:
    """A small chart of risk and bug-fix share per month (the last year) from the latest insights."""
    insights = Insight.objects.visible_to(user).filter(
        repository__full_name__in=repositories, type__in=[Insight.Type.RISK_TREND, Insight.Type.CI_FAILURE_TREND],
    ).latest_generation().select_related("repository")
    charts: dict[str, list[str]] = {}
    for insight in insights:
        charts.setdefault(insight.repository.full_name, []).append(
            trend_chart(insight, months=12, frame=Frame(width=420, height=150))
        )
    return charts
