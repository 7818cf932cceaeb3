"""Audit rows for logins, failed logins and every change made through the admin (connected in apps.py)."""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry

from gitinsight.services.audit import audit_record

ADMIN_ACTIONS = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}


def audit_login(sender, request, user, **kwargs) -> None:
    method = "github" if request is not None and request.path.startswith("/accounts/github/") else "password"
    audit_record(user=user, action="auth.login", resource_type="user", resource_id=user.pk, details={"method": method})


def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    audit_record(
        user=None,
        action="auth.login_failed",
        resource_type="user",
        details={"username": str(credentials.get("username", ""))[:150]},
    )


def audit_admin_change(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    if not created:
        return
    audit_record(
        user=instance.user,
        action=ADMIN_ACTIONS.get(instance.action_flag, "admin.other"),
        resource_type=instance.content_type.model if instance.content_type else "unknown",
        resource_id=instance.object_id or "",
        details={"object": instance.object_repr, "message": instance.get_change_message()},
    )
