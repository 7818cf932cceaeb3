from datetime import timedelta

import pytest
from django.utils import timezone

from ingestion.models import Issue, Milestone, PullRequest, Repository


@pytest.fixture
def repository(acme) -> Repository:
    return Repository.objects.create(organization=acme, owner="acme", name="app", full_name="acme/app")


def _issue(repository, number, *, milestone=None, created, closed=None, **fields) -> Issue:
    return Issue.objects.create(
        repository=repository,
        milestone=milestone,
        number=number,
        title=fields.pop("title", f"Issue {number}"),
        state="closed" if closed else "open",
        created_at=created,
        closed_at=closed,
        **fields,
    )


@pytest.fixture
def milestone(repository) -> Milestone:
    """An open milestone due in 10 days with 12 open issues (some blocked, one sized), after three
    closed milestones and 120 days of the team closing about one issue a day."""
    now = timezone.now()
    number = 1000
    for index in range(3):
        start = now - timedelta(days=100 - 30 * index)
        past = Milestone.objects.create(
            repository=repository,
            number=index + 1,
            title=f"v0.{index}",
            state="closed",
            created_at=start,
            closed_at=start + timedelta(days=14),
        )
        for n in range(10):
            number += 1
            _issue(
                repository,
                number,
                milestone=past,
                created=start - timedelta(days=1),
                closed=start + timedelta(days=n + 1),
            )
    for day in range(120):
        number += 1
        _issue(repository, number, created=now - timedelta(days=day + 5), closed=now - timedelta(days=day, hours=3))
    current = Milestone.objects.create(
        repository=repository,
        number=9,
        title="v1.0",
        state="open",
        created_at=now - timedelta(days=7),
        due_on=now + timedelta(days=10),
    )
    _issue(
        repository, 1, milestone=current, created=now - timedelta(days=8), body="Depends on #2.", assignees=["alice"]
    )
    _issue(repository, 2, milestone=current, created=now - timedelta(days=8), assignees=["bob"])
    _issue(repository, 3, milestone=current, created=now - timedelta(days=8), labels=["size: 3", "priority: low"])
    for n in range(4, 13):
        _issue(repository, n, milestone=current, created=now - timedelta(days=8), labels=["priority: low"])
    _issue(repository, 13, milestone=current, created=now - timedelta(days=8), closed=now - timedelta(days=2))
    PullRequest.objects.create(
        repository=repository,
        milestone=current,
        number=50,
        title="Half of it",
        state="open",
        created_at=now - timedelta(days=12),
        updated_at=now - timedelta(days=9),
        head_sha="abc123",
    )
    return current
