"""bench_webhooks' client and bookkeeping, against a live server on 127.0.0.1."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from benchmarks.webhooks import bench_run, deliveries_plan


def test_the_plan_replays_a_share_of_earlier_deliveries():
    plan = deliveries_plan(n=100, duplicate_ratio=0.1, prefix="p-")
    assert (len(plan), len(set(plan))) == (100, 90)


@pytest.mark.django_db(transaction=True)
def test_it_reports_no_lost_or_duplicated_deliveries(live_server, settings, examples):
    settings.GITHUB_WEBHOOK_SECRET = "bench-secret"
    report = bench_run(n=30, concurrency=4, url=f"{live_server.url}/webhooks/github")
    assert (report.sent, report.unique, report.errors) == (30, 27, 0)
    assert (report.lost, report.duplicated) == (0, 0)
    assert report.accepted_per_s > 0 and report.p99_ms >= report.p50_ms


@pytest.mark.django_db(transaction=True)
def test_the_command_measures_the_production_server(examples):
    out = StringIO()
    call_command("bench_webhooks", n=40, concurrency=4, processes=1, stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result["server"] == "gunicorn"
    assert (result["sent"], result["errors"], result["lost"], result["duplicated"]) == (40, 0, 0, 0)
