from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from gitinsight.models import AuditLog
from gitinsight.security.request_context import current_request_context


def audit_record(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    action: str,
    resource_type: str,
    resource_id: Any = "",
    details: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one audit row; the client's IP and user agent come from the current request."""
    context = current_request_context()
    return AuditLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        resource_type=resource_type,
        resource_id=str(resource_id) if resource_id is not None else "",
        details=details or {},
        ip_address=context.ip_address if context else None,
        user_agent=context.user_agent if context else "",
    )
