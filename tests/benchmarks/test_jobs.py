"""bench_jobs: tasks through two real worker clusters, one SIGKILLed mid-run; every task
still completes exactly once (its leased tasks run again, to no effect)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from benchmarks.jobs.ledger import bench_job_run, ledger_clear, ledger_counts, ledger_create


@pytest.mark.django_db(transaction=True)
def test_a_task_run_twice_applies_its_effect_once():
    ledger_create()
    assert bench_job_run("twice-1", 0) is True
    assert bench_job_run("twice-1", 0) is False
    counts = ledger_counts("twice-")
    assert (counts["completed"], counts["completed_once"], counts["duplicated"], counts["runs"]) == (1, 1, 0, 2)
    ledger_clear("twice-")


def _bench(**options) -> dict:
    out = StringIO()
    call_command("bench_jobs", database=connection.settings_dict["NAME"], stdout=out, stderr=StringIO(), **options)
    return json.loads(out.getvalue().strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_on_redis_every_task_completes_once_though_a_cluster_is_killed(redis_url):
    result = _bench(broker="redis", tasks=120, clusters=2, kill_one=True, work_ms=20, retry=4, redis_url=redis_url)
    assert result["killed_one"] is True
    assert (result["completed_once"], result["lost"], result["duplicated"]) == (120, 0, 0)
    assert result["left_in_queue"] == 0 and result["tasks_per_s"] > 0


@pytest.mark.heavy
@pytest.mark.django_db(transaction=True)
def test_on_the_orm_broker_every_task_completes_once_though_a_cluster_is_killed():
    result = _bench(broker="orm", tasks=120, clusters=2, kill_one=True, work_ms=20, retry=4)
    assert result["killed_one"] is True
    assert (result["completed_once"], result["lost"], result["duplicated"]) == (120, 0, 0)
    assert result["left_in_queue"] == 0
