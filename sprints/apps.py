from django.apps import AppConfig


class SprintsConfig(AppConfig):
    name = "sprints"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ingestion.signals import commits_ingested, issue_changed, milestone_changed
        from sprints.inbox import milestones_at_risk
        from sprints.jobs import run_forecast
        from sprints.overview import milestones_section
        from sprints.receivers import on_commits_ingested, on_issue_changed, on_milestone_changed
        from workspace.inbox import attention_provider_register
        from workspace.job_types import job_type_register
        from workspace.overview import overview_section_register

        issue_changed.connect(on_issue_changed, dispatch_uid="sprints.issue_changed")
        milestone_changed.connect(on_milestone_changed, dispatch_uid="sprints.milestone_changed")
        commits_ingested.connect(on_commits_ingested, dispatch_uid="sprints.commits_ingested")
        job_type_register("forecast", "Forecast open milestones", run_forecast)
        attention_provider_register("milestone_at_risk", "Milestone at risk", milestones_at_risk)
        overview_section_register("milestones", 40, milestones_section)
