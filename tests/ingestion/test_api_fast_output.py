"""FastOutput renders exactly what DRF's ModelSerializer renders, for every output
serializer of the ingestion API, nulls, dates, decimals and related ids included."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from rest_framework import serializers as drf

from benchmarks.api_load.populate import bench_data_ensure
from ingestion.api import serializers
from ingestion.api.fast_output import _iso_datetime, _row_renderer, row_columns
from ingestion.models import BackfillRun, CheckRun, Commit, Issue, Milestone, PullRequest, Repository

pytestmark = pytest.mark.django_db


def drf_rendering(serializer_class, rows) -> list[dict]:
    class Plain(serializer_class):
        def to_representation(self, instance):
            return drf.ModelSerializer.to_representation(self, instance)

    return Plain(rows, many=True).data


@pytest.mark.parametrize(
    ("serializer_class", "model"),
    [
        (serializers.CommitOutput, Commit),
        (serializers.PullRequestOutput, PullRequest),
        (serializers.CheckRunOutput, CheckRun),
        (serializers.IssueOutput, Issue),
        (serializers.RepositoryOutput, Repository),
        (serializers.MilestoneOutput, Milestone),
        (serializers.BackfillOutput, BackfillRun),
    ],
)
def test_it_renders_what_drf_renders(serializer_class, model):
    data = bench_data_ensure(commits=200, pull_requests=40)
    repository = Repository.objects.get(pk=data.repository_ids[0])
    milestone = Milestone.objects.create(
        repository=repository, number=1, title="v1", start_date=date(2024, 5, 1),
        completion_percentage=Decimal("62.50"),
    )
    PullRequest.objects.filter(pk=PullRequest.objects.first().pk).update(milestone=milestone)
    BackfillRun.objects.create(repository=repository, counts={"commits": 3})
    rows = list(model.objects.order_by("pk"))
    assert rows
    rendered = serializer_class(rows, many=True).data
    assert rendered == drf_rendering(serializer_class, rows)
    assert [list(row) for row in rendered] == [list(row) for row in drf_rendering(serializer_class, rows)]
    columns = row_columns(serializer_class)  # the lists and details render `.values()` rows
    assert serializer_class(model.objects.order_by("pk").values(*columns), many=True).data == rendered
    if serializer_class is serializers.RepositoryOutput:  # the organization's login, by a join
        assert "organization__login" in columns and {row["organization"] for row in rendered} == {"bench-api"}


@pytest.mark.parametrize("zone", [UTC, timezone(timedelta(hours=-5)), ZoneInfo("Europe/Berlin"), ZoneInfo("UTC")])
def test_a_date_and_time_reads_as_drf_prints_it_whatever_its_zone(zone):
    field = drf.DateTimeField()
    value = datetime(2026, 3, 29, 1, 30, 15, 250000, tzinfo=UTC).astimezone(zone)
    assert _iso_datetime(field)(value) == field.to_representation(value)


def test_a_row_renderer_prints_one_column_or_many_and_leaves_nulls_unconverted():
    stamp = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    upper = str.upper
    one = _row_renderer([("sha", "sha", None, None)])
    many = _row_renderer([("when", "created_at", upper, None), ("title", "title", None, None),
                          ("merged", "merged_at", upper, None)])

    assert one({"sha": "abc", "other": 1}) == {"sha": "abc"}
    assert many({"created_at": "mon", "title": "Fix", "merged_at": None}) == {"when": "MON", "title": "Fix",
                                                                              "merged": None}
    assert list(many({"created_at": "a", "title": "b", "merged_at": "c"})) == ["when", "title", "merged"]
    assert _iso_datetime(drf.DateTimeField())(stamp) == "2026-03-29T01:30:00Z"
