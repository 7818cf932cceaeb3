from django.apps import AppConfig
from django.core import checks
from django.core.signals import setting_changed
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
        from gitinsight.checks import deploy_secrets_check
        from gitinsight.db_owner import grants_after_migrate
        from gitinsight.log_redaction import log_redaction_install, secret_values_forget

        post_migrate.connect(_sync_schedules, sender=self, dispatch_uid="gitinsight_sync_schedules")
        post_migrate.connect(grants_after_migrate, sender=self, dispatch_uid="gitinsight_runtime_grants")
        checks.register(deploy_secrets_check, checks.Tags.security, deploy=True)
        log_redaction_install()
        setting_changed.connect(secret_values_forget, dispatch_uid="gitinsight_secret_values_forget")
