from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "analysis"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from analysis.inbox import hotspots_without_pull_requests, risky_pull_requests, risky_recent_commits
        from analysis.jobs import run_insights, run_train
        from analysis.overview import insights_section, risk_section
        from analysis.receivers import on_commits_ingested
        from ingestion.signals import commits_ingested
        from workspace.inbox import attention_provider_register
        from workspace.job_types import job_type_register
        from workspace.overview import overview_section_register

        commits_ingested.connect(on_commits_ingested, dispatch_uid="analysis.commits_ingested")
        # A pull request's new head is scored by triage's task for the head, together with its
        # duplicates and its check run (one task per head rather than one per analysis).
        job_type_register("train", "Train the commit-risk model", run_train)
        job_type_register("insights", "Compute repository insights", run_insights)
        attention_provider_register("risky_pull_request", "Risky pull request", risky_pull_requests)
        attention_provider_register("risky_commit", "Risky commit", risky_recent_commits)
        attention_provider_register("hotspot", "Hotspot", hotspots_without_pull_requests)
        overview_section_register("risk", 20, risk_section)
        overview_section_register("insights", 60, insights_section)
