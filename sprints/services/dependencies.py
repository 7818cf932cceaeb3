"""Writes of issue dependencies parsed from issue text."""

from __future__ import annotations

from django.db import transaction

from ingestion.models import Issue
from sprints.core.dependencies import BLOCKS, dependency_edges
from sprints.models import IssueDependency


@transaction.atomic
def issue_dependencies_sync(*, issue: Issue) -> int:
    """Make the stored dependencies stated in `issue`'s text match the text: add new edges, drop the
    ones the text no longer states. Edges to issues not ingested yet are skipped (the next sync of
    either issue adds them). Returns the number of edges now stated by this issue."""
    full_name = issue.repository.full_name
    edges = dependency_edges(issue.number, f"{issue.title}\n{issue.body}", full_name=full_name)
    numbers = {n for edge in edges for n in edge[:2]}
    by_number = {row.number: row for row in Issue.objects.filter(repository_id=issue.repository_id, number__in=numbers)}
    wanted: dict[tuple[int, int], str] = {}
    for source, target, kind in edges:
        if source in by_number and target in by_number:
            wanted.setdefault((by_number[source].pk, by_number[target].pk), kind)
    # Edges this issue's text is responsible for: its own dependencies (except those another issue
    # stated with "blocks"), and the "blocks" edges it stated on others.
    own = IssueDependency.objects.filter(issue=issue).exclude(dependency_type=BLOCKS)
    stated_here = own | IssueDependency.objects.filter(depends_on_issue=issue, dependency_type=BLOCKS)
    for row in stated_here:
        if (row.issue_id, row.depends_on_issue_id) not in wanted:
            row.delete()
    for (source_id, target_id), kind in wanted.items():
        IssueDependency.objects.update_or_create(
            issue_id=source_id, depends_on_issue_id=target_id, defaults={"dependency_type": kind}
        )
    return len(wanted)
