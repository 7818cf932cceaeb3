"""What commit risk puts in the admin inbox: open pull requests and recent commits that are
likely to introduce a bug, and, for repositories with no pull requests (a git clone), their
hotspots."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from analysis.models import CommitRiskPrediction, Insight, PullRequestRiskPrediction, RiskLevel
from analysis.presentation import level_words, reasons_short
from gitinsight.presentation import percent
from gitinsight.selectors import visible_to
from workspace.inbox import AttentionItem

RECENT_DAYS = 30


def risky_pull_requests(user: AbstractBaseUser) -> list[AttentionItem]:
    predictions = visible_to(
        PullRequestRiskPrediction.objects.filter(
            pull_request__state="open", head_sha=F("pull_request__head_sha"),
            risk_level__in=[RiskLevel.HIGH, RiskLevel.MEDIUM],
        ),
        user,
        organization_path="pull_request__repository__organization",
    ).select_related("pull_request__repository").latest_per("pull_request_id")
    items = []
    for prediction in predictions[:200]:
        pull_request = prediction.pull_request
        items.append(AttentionItem(
            kind="risky_pull_request",
            repository=pull_request.repository.full_name,
            title=f"#{pull_request.number} {pull_request.title}",
            url=reverse("admin:triage_pull_request_report", args=[pull_request.pk]),
            severity="high" if prediction.risk_level == RiskLevel.HIGH else "medium",
            reason=(f"{percent(prediction.probability)} chance that one of its commits introduces a bug "
                    f"({level_words(prediction.risk_level)}): {reasons_short(prediction.top_features)}."),
            score=prediction.probability,
            action="Open its report",
        ))
    return items


def risky_recent_commits(user: AbstractBaseUser) -> list[AttentionItem]:
    """High-risk commits of the last 30 days, scored by their repository's active model."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    predictions = visible_to(
        CommitRiskPrediction.objects.filter(risk_level=RiskLevel.HIGH, model_version__is_active=True,
                                            commit__committed_at__gte=since),
        user,
        organization_path="commit__repository__organization",
    ).select_related("commit__repository").order_by("-probability")[:50]
    items = []
    for prediction in predictions:
        commit = prediction.commit
        subject = (commit.message.strip().splitlines() or [""])[0][:90]
        items.append(AttentionItem(
            kind="risky_commit",
            repository=commit.repository.full_name,
            title=f"{commit.sha[:10]} {subject}",
            url=reverse("admin:ingestion_commit_change", args=[commit.pk]),
            severity="medium",
            reason=(f"{percent(prediction.probability)} chance that it introduced a bug: "
                    f"{reasons_short(prediction.top_features)}."),
            score=prediction.probability,
            action="Review the commit",
        ))
    return items


def hotspots_without_pull_requests(user: AbstractBaseUser) -> list[AttentionItem]:
    """For a repository known only from its git history, its hottest file: where bug fixes
    keep landing."""
    insights = visible_to(
        Insight.objects.filter(type=Insight.Type.HOTSPOTS, repository__pull_requests__isnull=True),
        user,
        organization_path="repository__organization",
    ).latest_generation().select_related("repository")
    items = []
    for insight in insights[:20]:
        top = (insight.data.get("items") or [None])[0]
        if not top or not top.get("fixes"):
            continue
        items.append(AttentionItem(
            kind="hotspot",
            repository=insight.repository.full_name,
            title=top["path"],
            url=reverse("admin:analysis_insight_change", args=[insight.pk]),
            severity="low",
            reason=(f"Changed in {top['changes']} commits, {top['fixes']} of them bug fixes: the file where "
                    "fixes land most often, worth tests or a refactor."),
            score=min(1.0, float(top.get("fix_density") or 0)),
            action="See the evidence",
        ))
    return items
