from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "analysis"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from analysis import jobs as runners
        from analysis import receivers  # noqa: F401  (connects the signal receivers)
        from analysis.inbox import repository_trend_charts, risky_pull_requests
        from workspace.inbox import attention_chart_register, attention_provider_register

        runners.register()
        attention_provider_register("risky_pull_request", "Risky pull request", risky_pull_requests)
        attention_chart_register("repository_trends", repository_trend_charts)
