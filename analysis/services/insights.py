"""Compute a repository's insights from its stored history and write a new generation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from analysis.core.insights.activity import contributor_activity, risk_trend
from analysis.core.insights.coupling import change_coupling
from analysis.core.insights.history import ChangeRecord
from analysis.core.insights.hotspots import hotspots
from analysis.core.insights.ownership import ownership
from analysis.core.records import CommitRecord
from analysis.models import CommitRiskPrediction, Insight, TrainingExample
from analysis.services.examples import fix_detector_for
from ingestion.models import CheckRun, Commit, CommitFile, Repository

INSIGHTS_VERSION = "insights-1"


def change_records(repository: Repository) -> list[ChangeRecord]:
    """Non-merge commits oldest first, with their files, fix flag and latest risk score."""
    files: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for commit_id, path, additions, deletions in CommitFile.objects.filter(
        repository=repository, commit__is_merge=False
    ).values_list("commit_id", "path", "additions", "deletions").iterator(chunk_size=20_000):
        files[commit_id].append((path, additions + deletions))
    stored_fix = dict(
        TrainingExample.objects.filter(commit__repository=repository).values_list("commit_id", "is_fix")
    )
    risk = dict(
        CommitRiskPrediction.objects.filter(commit__repository=repository)
        .latest_per_commit().values_list("commit_id", "probability")
    )
    detector = fix_detector_for(repository)
    records = []
    commits = Commit.objects.filter(repository=repository, is_merge=False).order_by("authored_at", "pk")
    for pk, sha, message, name, email, login, authored_at in commits.values_list(
        "pk", "sha", "message", "author_name", "author_email", "author_login", "authored_at"
    ).iterator(chunk_size=20_000):
        if authored_at is None:
            continue
        timestamp = int(authored_at.timestamp())
        author = login or email or name
        is_fix = stored_fix[pk] if pk in stored_fix else detector(CommitRecord(sha, author, timestamp, message))
        records.append(ChangeRecord(sha, author, timestamp, is_fix, risk.get(pk), tuple(files.get(pk, ()))))
    return records


def ci_failure_trend(repository: Repository) -> list[dict]:
    rows = (
        CheckRun.objects.filter(repository=repository, completed_at__isnull=False)
        .annotate(month=TruncMonth("completed_at"))
        .values("month")
        .annotate(total=Count("pk"), failed=Count("pk", filter=Q(conclusion__in=["failure", "timed_out"])))
        .order_by("month")
    )
    return [
        {"month": row["month"].strftime("%Y-%m"), "runs": row["total"], "failed": row["failed"],
         "failure_rate": round(row["failed"] / row["total"], 4)}
        for row in rows
    ]


def _confidence(sample: int, *, enough: int) -> float:
    """More history, more confidence; capped at 0.95 because the heuristics stay heuristics."""
    return round(min(0.95, 0.3 + 0.65 * min(1.0, sample / enough)), 2)


@dataclass(frozen=True)
class Finding:
    type: str
    title: str
    description: str
    confidence: float
    items: list
    tags: list[str]


def findings(records: list[ChangeRecord], ci: list[dict], report: Callable[[int, str], None]) -> list[Finding]:
    n = len(records)
    found: list[Finding] = []
    report(40, "hotspots and ownership")
    spots = hotspots(records)
    if spots:
        top = spots[0]
        found.append(Finding(
            Insight.Type.HOTSPOTS, f"Hotspot: {top.path}",
            f"{top.changes} changes, {top.fixes} of them bug fixes; ranked by churn x fix density x risk.",
            _confidence(n, enough=500), [asdict(item) for item in spots], ["hotspot", "risk"],
        ))
    owners = ownership(records)
    if owners:
        single = sum(1 for item in owners if item.bus_factor == 1)
        found.append(Finding(
            Insight.Type.KNOWLEDGE_CONCENTRATION, f"{single} of {len(owners)} directories depend on one person",
            "Bus factor per directory: the fewest authors who made more than half of the changes.",
            _confidence(n, enough=300), [asdict(item) for item in owners], ["bus-factor", "knowledge"],
        ))
    report(60, "change coupling")
    coupled = change_coupling(records)
    if coupled:
        found.append(Finding(
            Insight.Type.CHANGE_COUPLING, f"{coupled[0].first} and {coupled[0].second} change together",
            "Pairs of files changed in the same commits; a hidden dependency when they live apart.",
            _confidence(n, enough=500), [asdict(item) for item in coupled], ["coupling"],
        ))
    report(80, "activity and trends")
    if records:
        activity = contributor_activity(records)
        latest = activity[-1]
        found.append(Finding(
            Insight.Type.CONTRIBUTOR_ACTIVITY, f"{latest['authors']} authors active in {latest['month']}",
            "Commits, active and new authors per month.", _confidence(len(activity), enough=12),
            activity, ["activity"],
        ))
        trend = risk_trend(records)
        found.append(Finding(
            Insight.Type.RISK_TREND, "Risk and bug-fix share per month",
            "Mean predicted risk of the month's commits and the share of bug-fix commits.",
            _confidence(len(trend), enough=12), trend, ["risk", "trend"],
        ))
    if ci:
        latest = ci[-1]
        found.append(Finding(
            Insight.Type.CI_FAILURE_TREND, f"CI failure rate {latest['failure_rate']:.0%} in {latest['month']}",
            "Share of completed check runs that failed or timed out, per month.",
            _confidence(sum(row["runs"] for row in ci), enough=200), ci, ["ci", "trend"],
        ))
    return found


@transaction.atomic
def insights_compute(*, repository_id: int, step: Callable[[int, str], None] | None = None) -> list[Insight]:
    """Write a new generation of the repository's insights; `step(percent, message)` reports progress."""
    repository = Repository.objects.get(pk=repository_id)
    report = step or (lambda percent, message: None)
    report(10, "reading history")
    records = change_records(repository)
    generated_at = timezone.now()
    insights = Insight.objects.bulk_create([
        Insight(repository=repository, type=finding.type, title=finding.title[:255], description=finding.description,
                confidence_score=finding.confidence, data={"items": finding.items, "commits_considered": len(records)},
                model_version=INSIGHTS_VERSION, tags=finding.tags, generated_at=generated_at)
        for finding in findings(records, ci_failure_trend(repository), report)
    ])
    report(100, "done")
    return insights
