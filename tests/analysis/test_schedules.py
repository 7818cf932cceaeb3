from analysis.tasks import risk_models_retrain
from gitinsight.schedules import declared_schedules


def test_retraining_is_declared_weekly():
    schedule = next(s for s in declared_schedules() if s.func == "analysis.tasks.risk_models_retrain")

    assert schedule.schedule_type == "W"


def test_weekly_retraining_trains_a_version_per_repository(demo):
    results = risk_models_retrain()

    assert results["acme/demo"].startswith("v1 promoted=True")
