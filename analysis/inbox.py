"""What commit risk puts in the admin inbox: open pull requests and recent commits that are
likely to introduce a bug, and, for repositories with no pull requests (a git clone), their
hotspots."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, Max
from django.urls import reverse
from django.utils.html import format_html

from analysis.models import CommitRiskPrediction, Insight, PullRequestRiskPrediction, RiskLevel
from analysis.presentation import level_words, reasons_short
from gitinsight.presentation import number, percent, when
from ingestion.models import Repository
from workspace.inbox import AttentionItem

RECENT_DAYS = 30


def risky_pull_requests(user: AbstractBaseUser) -> list[AttentionItem]:
    predictions = PullRequestRiskPrediction.objects.visible_to(user).filter(
        pull_request__state="open", head_sha=F("pull_request__head_sha"),
        risk_level__in=[RiskLevel.HIGH, RiskLevel.MEDIUM],
    ).select_related("pull_request__repository").latest_per_pull_request()
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


def risky_recent_commits(user: AbstractBaseUser, *, per_repository: int = 5) -> list[AttentionItem]:
    """Each repository's riskiest commits (medium or high risk, by its active model) of the 30
    days before its latest commit: a clone's history may stop months ago, and what came last
    is what a maintainer can still act on."""
    repositories = (Repository.objects.visible_to(user).filter(risk_models__is_active=True)
                    .annotate(latest=Max("commits__committed_at")))
    items = []
    for repository in repositories:
        if repository.latest is None:
            continue
        predictions = CommitRiskPrediction.objects.filter(
            commit__repository=repository, model_version__is_active=True,
            risk_level__in=[RiskLevel.HIGH, RiskLevel.MEDIUM],
            commit__committed_at__gte=repository.latest - timedelta(days=RECENT_DAYS),
        ).select_related("commit").order_by("-probability")[:per_repository]
        for prediction in predictions:
            commit = prediction.commit
            subject = (commit.message.strip().splitlines() or [""])[0][:90]
            items.append(AttentionItem(
                kind="risky_commit",
                repository=repository.full_name,
                # the subject is the author's own text, quoted as written (it may name code)
                title=format_html("{} <q data-verbatim>{}</q>", commit.sha[:10], subject),
                url=reverse("admin:ingestion_commit_change", args=[commit.pk]),
                severity="medium" if prediction.risk_level == RiskLevel.HIGH else "low",
                reason=(f"{percent(prediction.probability)} chance that it introduced a bug "
                        f"({level_words(prediction.risk_level)}), committed "
                        f"{when(commit.committed_at, with_time=False)}: "
                        f"{reasons_short(prediction.top_features)}."),
                score=prediction.probability,
                action="Review the commit",
            ))
    return items


def hotspots_without_pull_requests(user: AbstractBaseUser) -> list[AttentionItem]:
    """For a repository known only from its git history, its hottest file: where bug fixes
    keep landing."""
    insights = Insight.objects.visible_to(user).filter(
        type=Insight.Type.HOTSPOTS, repository__pull_requests__isnull=True,
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
            reason=(f"Its top hotspot: changed in {top['changes']} commits, "
                    f"{top['fixes']} of them {'a bug fix' if top['fixes'] == 1 else 'bug fixes'}, "
                    f"{number(top.get('churn') or 0)} lines changed in all; "
                    "bugs tend to come back to files like this, so it is worth tests or a refactor."),
            score=min(1.0, float(top.get("fix_density") or 0)),
            action="See the evidence",
        ))
    return items
