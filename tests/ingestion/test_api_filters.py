"""The list filters copy and validate only the filters a query names."""

from __future__ import annotations

import pytest

from ingestion.api.filters import CommitFilter, PullRequestFilter
from ingestion.models import Commit, PullRequest

pytestmark = pytest.mark.django_db


def test_a_filterset_for_a_query_holds_only_the_filters_it_names():
    named = CommitFilter(data={"author_login": "dev07", "committed_after": "2026-01-01T00:00:00Z"},
                         queryset=Commit.objects.none())
    assert set(named.filters) == {"author_login", "committed_after"}
    assert set(CommitFilter(queryset=Commit.objects.none()).filters) == set(CommitFilter.base_filters)


def test_a_named_filter_still_refuses_a_bad_value():
    filterset = PullRequestFilter(data={"updated_after": "yesterday"}, queryset=PullRequest.objects.none())
    assert not filterset.is_valid()
    assert "updated_after" in filterset.errors
