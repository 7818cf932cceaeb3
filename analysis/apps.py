from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "analysis"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from analysis.inbox import repository_trend_charts, risky_pull_requests
        from analysis.jobs import run_insights, run_train
        from analysis.receivers import on_commits_ingested, on_pull_request_head
        from ingestion.signals import commits_ingested, pull_request_head_changed, pull_request_opened
        from workspace.inbox import attention_chart_register, attention_provider_register
        from workspace.job_types import job_type_register

        commits_ingested.connect(on_commits_ingested, dispatch_uid="analysis.commits_ingested")
        pull_request_opened.connect(on_pull_request_head, dispatch_uid="analysis.pull_request_opened")
        pull_request_head_changed.connect(on_pull_request_head, dispatch_uid="analysis.pull_request_head_changed")
        job_type_register("train", "Train the commit-risk model", run_train)
        job_type_register("insights", "Compute repository insights", run_insights)
        attention_provider_register("risky_pull_request", "Risky pull request", risky_pull_requests)
        attention_chart_register("repository_trends", repository_trend_charts)
