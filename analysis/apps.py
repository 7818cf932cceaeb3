from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "analysis"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from analysis import receivers  # noqa: F401  (connects the signal receivers)
        from analysis.jobs import runners

        runners.register()
