from django.apps import AppConfig


class SprintsConfig(AppConfig):
    name = "sprints"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ingestion.signals import issue_changed, milestone_changed
        from sprints.inbox import milestones_at_risk
        from sprints.jobs import run_forecast
        from sprints.receivers import on_issue_changed, on_milestone_changed
        from workspace.inbox import attention_provider_register
        from workspace.job_types import job_type_register

        issue_changed.connect(on_issue_changed, dispatch_uid="sprints.issue_changed")
        milestone_changed.connect(on_milestone_changed, dispatch_uid="sprints.milestone_changed")
        job_type_register("forecast", "Forecast open milestones", run_forecast)
        attention_provider_register("milestone_at_risk", "Milestone at risk", milestones_at_risk)
