from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from gitinsight.models import User
from gitinsight.services.audit import audit_record

MAINTAINERS_GROUP = "maintainers"
# Apps whose data maintainers work with in the admin; rows are filtered per organization and
# every write asks the maintainer's role there (gitinsight.security.roles).
MAINTAINER_APPS = ("ingestion", "workspace", "analysis", "triage", "sprints")
# Deletions the roles allow (admins delete root-cause examples, owners remove members).
MAINTAINER_DELETES = ("delete_rootcauseexample", "delete_membership")


def maintainers_group() -> Group:
    group, _ = Group.objects.get_or_create(name=MAINTAINERS_GROUP)
    wanted = Permission.objects.filter(content_type__app_label__in=MAINTAINER_APPS).exclude(
        codename__startswith="delete_"
    )
    wanted = wanted | Permission.objects.filter(
        content_type__app_label__in=(*MAINTAINER_APPS, "gitinsight"), codename__in=MAINTAINER_DELETES
    )
    wanted = wanted | Permission.objects.filter(
        content_type__app_label="gitinsight",
        codename__in=["view_organization", "change_organization", "view_membership", "add_membership",
                      "change_membership", "view_apikey", "view_auditlog"],
    )
    group.permissions.set(wanted)
    return group


@transaction.atomic
def maintainer_update_from_github(*, user: User, profile: dict[str, Any]) -> User:
    """Copy the GitHub profile onto the user. Admin access follows their memberships
    (staff_status_sync): a login neither grants it by itself nor gives back what an operator withdrew."""
    user.github_id = profile.get("id") or user.github_id
    user.name = profile.get("name") or ""
    user.avatar_url = profile.get("avatar_url") or ""
    user.bio = profile.get("bio") or ""
    user.location = profile.get("location") or ""
    user.company = profile.get("company") or ""
    if profile.get("email") and not user.email:
        user.email = profile["email"]
    user.save()
    return staff_status_sync(user=user)


@transaction.atomic
def staff_status_sync(*, user: User) -> User:
    """Staff, with the maintainers' model permissions, while the user belongs to an organization
    and no operator withdrew it; a change is audited. Operators (superusers) are left as they are."""
    if user.is_superuser:
        return user
    wanted = not user.staff_revoked and user.memberships.exists()
    if user.is_staff != wanted:
        User.objects.filter(pk=user.pk).update(is_staff=wanted)
        user.is_staff = wanted
        audit_record(user=None, action="user.staff_grant" if wanted else "user.staff_withdraw", resource_type="user",
                     resource_id=user.pk, details={"username": user.username,
                                                   "reason": _staff_reason(user, wanted)})
    if wanted:
        user.groups.add(maintainers_group())
    else:
        user.groups.remove(*Group.objects.filter(name=MAINTAINERS_GROUP))
    return user


def _staff_reason(user: User, wanted: bool) -> str:
    if wanted:
        return "member of an organization"
    return "withdrawn by an operator" if user.staff_revoked else "no longer a member of any organization"


@transaction.atomic
def staff_status_set(*, user: User, is_staff: bool, by: User) -> User:
    """An operator grants or withdraws staff status. A withdrawal holds against later
    memberships and GitHub logins until an operator grants it again."""
    User.objects.filter(pk=user.pk).update(is_staff=is_staff, staff_revoked=not is_staff)
    user.is_staff, user.staff_revoked = is_staff, not is_staff
    audit_record(user=by, action="user.staff_grant" if is_staff else "user.staff_withdraw", resource_type="user",
                 resource_id=user.pk, details={"username": user.username, "reason": "set by an operator"})
    return user
