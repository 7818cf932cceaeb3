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
        from django.contrib.admin.models import LogEntry
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete, post_save
        from django_q.signals import post_execute_in_worker, pre_enqueue, pre_execute

        from gitinsight.database.owner import grants_after_migrate
        from gitinsight.database.tenant_scope import (
            job_scope_capture,
            job_scope_enter,
            job_scope_leave,
            scope_apply_on_connect,
        )
        from gitinsight.models import Membership
        from gitinsight.receivers import audit_admin_change, audit_login, audit_login_failed, staff_follows_membership
        from gitinsight.security.deploy_checks import deploy_secrets_check
        from gitinsight.security.log_redaction import log_redaction_install, secret_values_forget

        user_logged_in.connect(audit_login, dispatch_uid="audit_login")
        user_login_failed.connect(audit_login_failed, dispatch_uid="audit_login_failed")
        post_save.connect(audit_admin_change, sender=LogEntry, dispatch_uid="audit_admin_change")
        post_save.connect(staff_follows_membership, sender=Membership, dispatch_uid="staff_follows_membership_saved")
        post_delete.connect(
            staff_follows_membership, sender=Membership, dispatch_uid="staff_follows_membership_deleted"
        )
        post_migrate.connect(_sync_schedules, sender=self, dispatch_uid="gitinsight_sync_schedules")
        post_migrate.connect(grants_after_migrate, sender=self, dispatch_uid="gitinsight_runtime_grants")
        # Row-level security's scope on every connection and in every job (tenant_scope.py).
        connection_created.connect(scope_apply_on_connect, dispatch_uid="gitinsight_tenant_scope_connect")
        pre_enqueue.connect(job_scope_capture, dispatch_uid="gitinsight_tenant_scope_enqueue")
        pre_execute.connect(job_scope_enter, dispatch_uid="gitinsight_tenant_scope_execute")
        post_execute_in_worker.connect(job_scope_leave, dispatch_uid="gitinsight_tenant_scope_executed")
        checks.register(deploy_secrets_check, checks.Tags.security, deploy=True)
        log_redaction_install()
        setting_changed.connect(secret_values_forget, dispatch_uid="gitinsight_secret_values_forget")
