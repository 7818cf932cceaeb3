from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_schedules(sender, **kwargs) -> None:
    from gitinsight.schedules import schedules_sync

    schedules_sync()


class GitInsightConfig(AppConfig):
    name = "gitinsight"
    verbose_name = "Platform"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gitinsight import receivers  # noqa: F401

        post_migrate.connect(_sync_schedules, sender=self, dispatch_uid="gitinsight_sync_schedules")
