"""Reads for sprints: database rows turned into the plain inputs of the pure forecast and risk modules,
and scoped queries for the API and admin."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q

from analysis.models.prediction import PullRequestRiskPrediction
from ingestion.models import CheckRun, Issue, Milestone, PullRequest
from sprints.core import risks
from sprints.core.forecast import ForecastRequest, PastMilestone, WorkItem, daily_throughput, estimate_weight
from sprints.models import ForecastResult, IssueDependency

PAST_MILESTONES = 12
THROUGHPUT_WINDOW_DAYS = 42
FAILED_CONCLUSIONS = ("failure", "timed_out", "cancelled", "action_required", "startup_failure")


def latest_forecast(milestone: Milestone) -> ForecastResult | None:
    return milestone.forecasts.prefetch_related("risks", "recommendations").newest_first().first()


def _moment(value: datetime | None, fallback: datetime) -> datetime:
    return value if value is not None else fallback


def _issue_item(issue: Issue) -> WorkItem:
    created = _moment(issue.created_at, issue.ingested_at)
    closed = _moment(issue.closed_at, issue.refreshed_at) if issue.state == "closed" else None
    return WorkItem(issue.number, created, closed, estimate_weight(issue.labels or []))


def _pull_request_item(pull_request: PullRequest) -> WorkItem:
    created = _moment(pull_request.created_at, pull_request.ingested_at)
    closed = None
    if pull_request.state != "open":
        closed = pull_request.merged_at or pull_request.closed_at or pull_request.refreshed_at
    return WorkItem(pull_request.number, created, closed, estimate_weight(pull_request.labels or []))


def milestone_items(milestone: Milestone) -> list[WorkItem]:
    """Issues and pull requests of the milestone, as GitHub counts them."""
    issues = milestone.issues.filter(is_pull_request=False)
    return [_issue_item(i) for i in issues] + [_pull_request_item(p) for p in milestone.pull_requests.all()]


def milestone_start(milestone: Milestone, items: list[WorkItem]) -> datetime:
    if milestone.start_date is not None:
        reference = milestone.created_at or milestone.ingested_at
        return datetime.combine(milestone.start_date, datetime.min.time(), tzinfo=reference.tzinfo)
    if milestone.created_at is not None:
        return milestone.created_at
    return min((item.created_at for item in items), default=milestone.ingested_at)


def _past_milestones(milestone: Milestone, as_of: datetime) -> list[PastMilestone]:
    closed = (
        Milestone.objects.filter(repository_id=milestone.repository_id, state="closed", closed_at__lt=as_of)
        .exclude(pk=milestone.pk)
        .order_by("-closed_at")[:PAST_MILESTONES]
    )
    past = []
    for row in reversed(list(closed)):
        items = milestone_items(row)
        start = milestone_start(row, items)
        if items and row.closed_at > start:
            past.append(PastMilestone(start=start, end=row.closed_at, items=tuple(items)))
    return past


def team_completions(repository_id: int, *, since: datetime, until: datetime) -> list[tuple[datetime, float]]:
    """Closed issues and merged pull requests of the repository, weighted by estimate labels."""
    issues = Issue.objects.filter(
        repository_id=repository_id, is_pull_request=False, state="closed", closed_at__gte=since, closed_at__lte=until
    ).values_list("closed_at", "labels")
    merged = PullRequest.objects.filter(
        repository_id=repository_id, merged_at__gte=since, merged_at__lte=until
    ).values_list("merged_at", "labels")
    return [(moment, estimate_weight(labels or [])) for moment, labels in [*issues, *merged]]


def forecast_request_for(milestone: Milestone, *, as_of: datetime, trials: int = 10_000) -> ForecastRequest:
    items = milestone_items(milestone)
    past = _past_milestones(milestone, as_of)
    earliest = min([milestone_start(milestone, items), *(m.start for m in past)])
    completions = team_completions(
        milestone.repository_id, since=earliest - timedelta(days=THROUGHPUT_WINDOW_DAYS), until=as_of
    )
    return ForecastRequest(
        as_of=as_of,
        start=milestone_start(milestone, items),
        due=milestone.due_on.date() if milestone.due_on else None,
        items=tuple(items),
        completions=tuple(completions),
        past_milestones=tuple(past),
        trials=trials,
        window_days=THROUGHPUT_WINDOW_DAYS,
    )


def _pull_request_snapshot(pull_request: PullRequest, risk_scores: dict[int, float]) -> risks.PullRequestSnapshot:
    reviews = [r.submitted_at for r in pull_request.reviews.all() if r.submitted_at is not None]
    failing = (
        CheckRun.objects.filter(
            repository_id=pull_request.repository_id, head_sha=pull_request.head_sha, conclusion__in=FAILED_CONCLUSIONS
        ).values_list("name", flat=True)
        if pull_request.head_sha
        else []
    )
    created = _moment(pull_request.created_at, pull_request.ingested_at)
    return risks.PullRequestSnapshot(
        number=pull_request.number,
        state=pull_request.state,
        created_at=created,
        updated_at=_moment(pull_request.updated_at, created),
        draft=pull_request.draft,
        reviews=len(reviews),
        first_review_at=min(reviews) if reviews else None,
        requested_reviewers=tuple(pull_request.requested_reviewers or []),
        failing_checks=tuple(sorted(set(failing))),
        risk_score=risk_scores.get(pull_request.pk),
    )


def _risk_scores(pull_requests: list[PullRequest]) -> dict[int, float]:
    """Latest commit-risk prediction per pull request head, when the analysis app has made one."""
    scores: dict[int, float] = {}
    if not pull_requests:
        return scores
    heads = Q()
    for pr in pull_requests:
        heads |= Q(pull_request_id=pr.pk, head_sha=pr.head_sha)
    for row in PullRequestRiskPrediction.objects.filter(heads).order_by("created_at"):
        scores[row.pull_request_id] = row.probability
    return scores


def risk_snapshot_for(milestone: Milestone, request: ForecastRequest, *, as_of: datetime) -> risks.MilestoneSnapshot:
    issues = list(milestone.issues.filter(is_pull_request=False))
    pull_requests = list(milestone.pull_requests.prefetch_related("reviews"))
    scores = _risk_scores([pr for pr in pull_requests if pr.state == "open"])
    edges = (
        IssueDependency.objects.filter(issue__in=issues)
        .select_related("issue", "depends_on_issue")
        .exclude(dependency_type=IssueDependency.Type.RELATED)
    )
    throughput = daily_throughput(request.completions, end=as_of, days=56)
    return risks.MilestoneSnapshot(
        as_of=as_of,
        due=milestone.due_on,
        start=request.start,
        issues=tuple(
            risks.IssueSnapshot(
                number=i.number,
                state=i.state,
                assignees=tuple(i.assignees or []),
                created_at=i.created_at,
                weight=estimate_weight(i.labels or []),
            )
            for i in issues
        ),
        pull_requests=tuple(_pull_request_snapshot(pr, scores) for pr in pull_requests),
        dependencies=tuple(
            risks.DependencySnapshot(
                issue=edge.issue.number,
                depends_on=edge.depends_on_issue.number,
                depends_on_open=edge.depends_on_issue.state == "open",
                depends_on_in_milestone=edge.depends_on_issue.milestone_id == milestone.pk,
            )
            for edge in edges
        ),
        recent_daily_throughput=tuple(throughput[-14:]),
        baseline_daily_throughput=tuple(throughput[:-14]),
    )
