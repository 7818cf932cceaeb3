"""Commit risk and insights on the repository overview (workspace.overview)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from analysis.models import CommitRiskPrediction, Insight, ModelVersion
from analysis.presentation import level_words
from gitinsight.presentation import number, percent, when
from ingestion.models import Repository
from workspace.overview import OverviewLine, OverviewSection


def risk_section(repository: Repository) -> OverviewSection:
    section = OverviewSection(title="Commit risk")
    model = ModelVersion.objects.filter(repository=repository, is_active=True).first()
    if model is None:
        section.lines.append(OverviewLine(text="No risk model yet: the training job says why, under Latest analyses."))
        return section
    auc = model.metrics.get("auc")
    quality = f", ranking quality {percent(auc)} on its holdout" if isinstance(auc, float) and auc == auc else ""
    section.lines.append(OverviewLine(
        text=f"Model version {model.version} is active{quality}.",
        url=reverse("admin:analysis_modelversion_change", args=[model.pk]), link="the model"))
    # the last 90 days of the history: a clone's may have stopped long before today
    latest = repository.commits.aggregate(latest=Max("committed_at"))["latest"] or timezone.now()
    recent = CommitRiskPrediction.objects.filter(model_version=model, commit__repository=repository,
                                                 commit__committed_at__gte=latest - timedelta(days=90))
    risky = recent.filter(risk_level__in=["high", "medium"]).count()
    predictions = reverse("admin:analysis_commitriskprediction_changelist")
    period = "the last 90 days" if timezone.now() - latest < timedelta(days=7) else \
        f"the 90 days before its latest commit ({when(latest, with_time=False)})"
    section.lines.append(OverviewLine(
        text=f"{number(risky)} of the {number(recent.count())} commits scored in {period} are medium or high risk.",
        url=f"{predictions}?commit__repository__id__exact={repository.pk}", link="riskiest first"))
    top = recent.select_related("commit").order_by("-probability").first()
    if top is not None:
        section.lines.append(OverviewLine(
            text=f"The riskiest recent commit is {top.commit.sha[:10]} ({percent(top.probability)}, "
                 f"{level_words(top.risk_level)}).",
            url=reverse("admin:ingestion_commit_change", args=[top.commit_id]), link="the commit"))
    return section


def insights_section(repository: Repository) -> OverviewSection | None:
    insights = list(Insight.objects.filter(repository=repository).latest_generation().order_by("type")[:6])
    if not insights:
        return None
    section = OverviewSection(
        title="Insights",
        more_url=f"{reverse('admin:analysis_insight_changelist')}?repository__id__exact={repository.pk}",
        more="every insight of the latest computation")
    for insight in insights:
        section.lines.append(OverviewLine(text=insight.title, url=reverse("admin:analysis_insight_change",
                                                                          args=[insight.pk]), link="evidence"))
    return section
