from django.apps import AppConfig


class SprintsConfig(AppConfig):
    name = "sprints"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from analysis.jobs.registry import job_type_register
        from gitinsight.attention import attention_provider_register
        from sprints import receivers  # noqa: F401  (connects the signal receivers)
        from sprints.attention import milestones_at_risk
        from sprints.jobs import run_forecast

        job_type_register("forecast", "Forecast open milestones", run_forecast)
        attention_provider_register("milestone_at_risk", "Milestone at risk", milestones_at_risk)
