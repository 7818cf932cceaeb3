"""Reads for the failed-check views, scoped to what the user may see."""

from __future__ import annotations

from django.db.models import Case, Value, When

from ingestion.models import CheckRun, PullRequest
from triage.failures.core.excerpt import Excerpt, ExcerptFormatError, decompress_excerpt
from triage.failures.core.learned import ChunkExample
from triage.failures.models.analyses import CheckFailureAnalysis
from triage.failures.models.root_causes import RootCauseExample


def latest_analysis(check_run: CheckRun) -> CheckFailureAnalysis | None:
    return (CheckFailureAnalysis.objects.filter(check_run=check_run).prefetch_related("fix_attempts")
            .newest_first().first())


def pull_request_head_analyses(pull_request: PullRequest) -> list[CheckFailureAnalysis]:
    """The latest analysis of each failed check run of the PR's current head."""
    rows = (CheckFailureAnalysis.objects.filter(pull_request=pull_request, head_sha=pull_request.head_sha)
            .select_related("check_run").prefetch_related("fix_attempts")
            .latest_per_check_run())
    return sorted(rows, key=lambda a: a.check_run.name)


def analysis_excerpt(analysis: CheckFailureAnalysis) -> Excerpt | None:
    """The stored excerpt, or None when expired or unreadable (e.g. an older format)."""
    if not analysis.excerpt:
        return None
    try:
        return decompress_excerpt(bytes(analysis.excerpt))
    except ExcerptFormatError:
        return None


def root_cause_examples(repository_id: int, check_name: str, *, limit: int = 8) -> list[ChunkExample]:
    """The repository's confirmed root causes to look for in a new log, most recent first;
    those of the same check first, since a job tends to fail the way it failed before."""
    rows = (RootCauseExample.objects.filter(repository_id=repository_id)
            .annotate(same_check=Case(When(check_name=check_name, then=Value(0)), default=Value(1)))
            .order_by("same_check", "-created_at", "-pk")[:limit])
    return [row.as_example() for row in rows]
