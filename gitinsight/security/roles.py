"""Who may do what in an organization: the one rule every admin page, admin action and API
write asks.

Members read and give feedback (duplicate verdicts, root causes, reviews, recommendations).
Admins also change the configuration (triage config, repository settings and monitoring,
connected repositories), promote models, re-process deliveries, delete root-cause examples
and run jobs. Owners also manage the members and their API keys. Operators (superusers) may
do everything everywhere. A row that belongs to no organization (the global triage config)
is for operators only.

The checks take the organization, its id, or any row of a tenant model: a row's organization
is the one its model's `tenant_path` reaches (gitinsight.models.tenancy)."""

from __future__ import annotations

from enum import Enum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from gitinsight.models import Membership, Organization, TenantModel

Role = Membership.Role

_RANK = {Role.MEMBER: 1, Role.ADMIN: 2, Role.OWNER: 3}


class Action(Enum):
    """What a person does in an organization, the least role it takes, and its name in a refusal."""

    READ = (Role.MEMBER, "reading")
    FEEDBACK = (Role.MEMBER, "giving feedback")
    CONFIGURE = (Role.ADMIN, "changing the configuration")
    MODELS = (Role.ADMIN, "promoting models")
    REPROCESS = (Role.ADMIN, "re-processing webhook deliveries")
    DELETE_EXAMPLES = (Role.ADMIN, "deleting root-cause examples")
    RUN_JOBS = (Role.ADMIN, "running jobs")
    MANAGE_MEMBERS = (Role.OWNER, "managing members")
    MANAGE_KEYS = (Role.OWNER, "managing members' API keys")

    def __init__(self, role: Role, doing: str) -> None:
        self.role = role
        self.doing = doing


class RoleRequired(PermissionDenied):
    """The user's role in the organization does not allow the action; str() says so in a sentence."""


Person = AbstractBaseUser | AnonymousUser
#: an organization, a row that belongs to one, or an organization's id (None: no organization)
Where = TenantModel | int | None


def roles_allowing(action: Action) -> list[str]:
    return [role for role, rank in _RANK.items() if rank >= _RANK[action.role]]


def organization_id_of(where: Where) -> int | None:
    return where.tenant_organization_id() if isinstance(where, TenantModel) else where


def role_in(user: Person, where: Where) -> Role | None:
    """The user's role in the organization, or None when they do not belong to it."""
    organization_id = organization_id_of(where)
    if organization_id is None or not user.is_authenticated:
        return None
    role = Membership.objects.filter(user=user, organization_id=organization_id).values_list("role", flat=True).first()
    return Role(role) if role else None


def user_can(user: Person, action: Action, where: Where) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    role = role_in(user, where)
    return role is not None and _RANK[role] >= _RANK[action.role]


def role_check(user: Person, action: Action, where: Where) -> None:
    """Raise RoleRequired, with the reason in words, unless the user may do `action` there."""
    if not user_can(user, action, where):
        raise RoleRequired(refusal(user, action, where))


def refusal(user: Person, action: Action, where: Where) -> str:
    """Why the user may not do `action` in the organization, as a sentence."""
    doing = action.doing[0].upper() + action.doing[1:]
    organization = where if isinstance(where, Organization) else organization_id_of(where)
    if organization is None:
        return f"{doing} outside an organization is for operators only."
    if not isinstance(organization, Organization):
        organization = Organization.objects.get(pk=organization)
    *others, last = [f"{role}s" for role in roles_allowing(action)]
    allowed = f"{', '.join(others)} and {last}" if others else last
    role = role_in(user, organization)
    held = f"you are {'a' if role == Role.MEMBER else 'an'} {role}" if role else "you are not a member"
    return f"{doing} in {organization.login} is for its {allowed}; {held}."


def refusal_anywhere(action: Action) -> str:
    """Why someone who holds the role nowhere may not do `action` at all, as a sentence."""
    doing = action.doing[0].upper() + action.doing[1:]
    return f"{doing} needs the role of {' or '.join(roles_allowing(action))} in an organization; you hold it in none."


def organizations_where(user: Person, action: Action) -> QuerySet:
    """Ids of the organizations where the user may do `action` (for filtering querysets)."""
    if not user.is_authenticated or not user.is_active:
        return Organization.objects.none().values("pk")
    if user.is_superuser:
        return Organization.objects.values("pk")
    return Membership.objects.filter(user=user, role__in=roles_allowing(action)).values("organization_id")


def permitted(queryset: QuerySet, user: Person, action: Action) -> QuerySet:
    """The rows of `queryset` (of a tenant model) in organizations where the user may do `action`."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return queryset
    return queryset.in_organizations(organizations_where(user, action))
