from django.apps import AppConfig


class SprintsConfig(AppConfig):
    name = "sprints"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sprints import receivers  # noqa: F401  (connects the signal receivers)
