from gitinsight.schedules import declared_schedules


def test_forecasts_refresh_daily():
    [schedule] = [s for s in declared_schedules() if s.func == "sprints.tasks.forecasts_refresh_daily"]
    assert schedule.schedule_type == "D"


def test_the_daily_task_refreshes_every_open_milestone(milestone):
    from sprints.models import ForecastResult
    from sprints.tasks import forecasts_refresh_daily

    assert forecasts_refresh_daily() == 1
    assert ForecastResult.objects.get().milestone == milestone
