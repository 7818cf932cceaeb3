"""bench_api end to end: data in the test database, real server processes on loopback,
keep-alive clients; and its data set is reused when the sizes match."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from benchmarks.api_load.load import percentile
from benchmarks.api_load.populate import ORGANIZATION, bench_data_ensure
from ingestion.models import Commit, CommitFile, PullRequest

ENDPOINTS = {"repositories", "commits", "pull-requests", "check-runs", "issues"}


def test_percentiles_are_nearest_rank():
    seconds = [n / 1000 for n in range(1, 101)]
    assert (percentile(seconds, 0.5), percentile(seconds, 0.95), percentile([], 0.95)) == (50.0, 95.0, 0.0)


@pytest.mark.django_db
def test_it_populates_the_sizes_asked_and_reuses_them():
    first = bench_data_ensure(commits=300, pull_requests=30)
    assert (first.commits, first.pull_requests, first.reused) == (300, 30, False)
    assert len(first.repository_ids) == 8 and first.check_runs >= 30 and first.issues == 15
    assert CommitFile.objects.exists()
    assert set(PullRequest.objects.values_list("state", flat=True)) == {"open", "closed", "merged"}
    assert bench_data_ensure(commits=300, pull_requests=30).reused
    rebuilt = bench_data_ensure(commits=200, pull_requests=30)
    assert (rebuilt.commits, rebuilt.reused) == (200, False)
    assert Commit.objects.filter(repository__organization__login=ORGANIZATION).count() == 200


@pytest.mark.django_db(transaction=True)
def test_the_command_times_every_endpoint_without_errors():
    # The test database is the benchmark database: the servers read what the test wrote.
    options = {"database": connection.settings_dict["NAME"], "commits": 2000, "pull_requests": 200,
               "concurrency": 4, "processes": 1}
    out = StringIO()
    call_command("bench_api", duration=6, stdout=out, **options)
    result = json.loads(out.getvalue().strip().splitlines()[-1])

    assert result["data"]["commits"] == 2000 and not result["data"]["reused"]
    endpoints = result["endpoints"]
    assert {name.split()[1].split("/")[0].split("?")[0] for name in endpoints} == ENDPOINTS
    for name, numbers in endpoints.items():
        assert numbers["requests"] > 0 and numbers["errors"] == 0, (name, result["first_error"])
        assert 0 < numbers["p50_ms"] <= numbers["p95_ms"], name
    assert result["overall"]["errors"] == 0 and result["overall"]["requests_per_s"] > 0

    again = StringIO()
    call_command("bench_api", requests=40, stdout=again, **options)
    second = json.loads(again.getvalue().strip().splitlines()[-1])
    assert second["data"]["reused"] and second["overall"]["requests"] == 40
