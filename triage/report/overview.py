"""Pull requests and failed checks on the repository overview (workspace.overview)."""

from __future__ import annotations

from django.db.models import F
from django.urls import reverse

from ingestion.models import PullRequest, Repository
from triage.duplicates.models import CandidateEdge
from triage.duplicates.models.choices import TriageCategory
from triage.failures.models.analyses import CheckFailureAnalysis, FailureAttribution
from workspace.overview import OverviewLine, OverviewSection


def pull_requests_section(repository: Repository) -> OverviewSection:
    queue = reverse("admin:triage_triagequeueitem_changelist")
    open_count = PullRequest.objects.filter(repository=repository, state="open").count()
    section = OverviewSection(title="Pull requests", more_url=f"{queue}?repository__id__exact={repository.pk}",
                              more="the triage queue")
    duplicates = (CandidateEdge.objects.filter(
        analysis_run__pull_request__repository=repository, analysis_run__pull_request__state="open",
        analysis_run__head_sha=F("analysis_run__pull_request__head_sha"), category=TriageCategory.SAME_CHANGE)
        .values_list("pull_request_a__number", "pull_request_b__number").distinct())
    pairs = sorted({tuple(sorted(pair)) for pair in duplicates})
    text = f"{open_count} open"
    if pairs:
        text += "; the same change twice: " + ", ".join(f"#{a} and #{b}" for a, b in pairs[:3])
    section.lines.append(OverviewLine(text=f"{text}."))
    failures = (CheckFailureAnalysis.objects.filter(check_run__repository=repository,
                                                    attribution=FailureAttribution.NEW,
                                                    pull_request__state="open")
                .select_related("check_run", "pull_request").order_by("-created_at"))
    caused = list(failures[:3])
    if caused:
        listed = "; ".join(f"{item.check_run.name} on #{item.pull_request.number}" for item in caused)
        section.lines.append(OverviewLine(
            text=f"Failing checks caused by their pull request: {listed}.",
            url=f"{reverse('admin:triage_checkfailureanalysis_changelist')}?attribution__exact=new",
            link="the failed checks"))
    return section
