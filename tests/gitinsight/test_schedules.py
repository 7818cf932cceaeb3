import pytest
from django_q.models import Schedule

from gitinsight.schedules import declared_schedules, schedules_sync

pytestmark = pytest.mark.django_db


def test_declared_schedules_exist_after_migrate():
    names = {item.name for item in declared_schedules()}
    assert names <= set(Schedule.objects.values_list("name", flat=True))


def test_syncing_twice_creates_each_schedule_once():
    schedules_sync()
    schedules_sync()
    for item in declared_schedules():
        assert Schedule.objects.filter(name=item.name).count() == 1


def test_the_rate_limit_purge_task_runs_synchronously_in_tests(alice):
    from datetime import timedelta

    from django.utils import timezone
    from django_q.tasks import async_task, result

    from gitinsight.models import RateLimitCounter

    RateLimitCounter.objects.create(bucket="old", window_start=timezone.now() - timedelta(days=3), count=5)
    task_id = async_task("gitinsight.tasks.rate_limit_counters_purge")
    assert result(task_id) == 1
    assert not RateLimitCounter.objects.exists()
