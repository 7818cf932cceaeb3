from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from gitinsight.models import User

MAINTAINERS_GROUP = "maintainers"
# Apps whose data maintainers work with in the admin; rows are filtered per organization.
MAINTAINER_APPS = ("ingestion", "workspace", "analysis", "triage", "sprints")


def maintainers_group() -> Group:
    group, _ = Group.objects.get_or_create(name=MAINTAINERS_GROUP)
    wanted = Permission.objects.filter(content_type__app_label__in=MAINTAINER_APPS).exclude(
        codename__startswith="delete_"
    )
    wanted = wanted | Permission.objects.filter(
        content_type__app_label="gitinsight", codename__in=["view_organization", "view_apikey", "view_auditlog"]
    )
    group.permissions.set(wanted)
    return group


@transaction.atomic
def maintainer_update_from_github(*, user: User, profile: dict[str, Any]) -> User:
    """Copy the GitHub profile onto the user and give them the maintainers' admin access."""
    user.github_id = profile.get("id") or user.github_id
    user.name = profile.get("name") or ""
    user.avatar_url = profile.get("avatar_url") or ""
    user.bio = profile.get("bio") or ""
    user.location = profile.get("location") or ""
    user.company = profile.get("company") or ""
    if profile.get("email") and not user.email:
        user.email = profile["email"]
    user.is_staff = True
    user.save()
    user.groups.add(maintainers_group())
    return user
