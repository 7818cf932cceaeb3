from django.apps import AppConfig


class SprintsConfig(AppConfig):
    name = "sprints"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sprints import receivers  # noqa: F401  (connects the signal receivers)
        from sprints.inbox import milestones_at_risk
        from sprints.jobs import run_forecast
        from workspace.inbox import attention_provider_register
        from workspace.job_types import job_type_register

        job_type_register("forecast", "Forecast open milestones", run_forecast)
        attention_provider_register("milestone_at_risk", "Milestone at risk", milestones_at_risk)
