"""Audit rows for logins, failed logins and every change made through the admin; the count of
wrong passwords behind the login rate limit; staff status following memberships (all connected
in apps.py)."""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry

from gitinsight.models import Membership, User
from gitinsight.security.login_policy import login_failure_record, login_success_record
from gitinsight.security.middleware import client_ip
from gitinsight.services.audit import audit_record
from gitinsight.services.maintainers import staff_status_sync

ADMIN_ACTIONS = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}


def audit_login(sender, request, user, **kwargs) -> None:
    method = "github" if request is not None and request.path.startswith("/accounts/github/") else "password"
    audit_record(user=user, action="auth.login", resource_type="user", resource_id=user.pk, details={"method": method})
    login_success_record(username=user.get_username())


def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username") or credentials.get("email") or "")[:150]
    audit_record(user=None, action="auth.login_failed", resource_type="user", details={"username": username})
    login_failure_record(ip=client_ip(request) if request is not None else None, username=username)


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


def staff_follows_membership(sender, instance: Membership, **kwargs) -> None:
    user = User.objects.filter(pk=instance.user_id).first()  # gone when the user is being deleted
    if user is not None:
        staff_status_sync(user=user)
