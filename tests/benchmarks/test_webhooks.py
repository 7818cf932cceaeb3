"""bench_webhooks' client and bookkeeping, against a live server on 127.0.0.1."""

import pytest

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
