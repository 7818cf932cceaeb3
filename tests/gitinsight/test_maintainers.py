"""Staff status follows membership: a maintainer is staff while they belong to an organization,
and an operator's revocation holds against memberships and GitHub logins alike."""

import pytest

from gitinsight.models import Membership, Organization, User
from gitinsight.services.maintainers import maintainer_update_from_github

pytestmark = pytest.mark.django_db


def staff(user: User) -> bool:
    user.refresh_from_db()
    return user.is_staff


def test_a_membership_makes_a_maintainer_staff_and_losing_the_last_one_withdraws_it(charlie):
    first = Organization.objects.create(login="initech")
    second = Organization.objects.create(login="hooli")
    assert not staff(charlie)

    Membership.objects.create(organization=first, user=charlie)
    Membership.objects.create(organization=second, user=charlie)
    assert staff(charlie) and charlie.groups.filter(name="maintainers").exists()

    Membership.objects.get(organization=first, user=charlie).delete()
    assert staff(charlie)
    second.delete()
    assert not staff(charlie)
    assert not charlie.groups.filter(name="maintainers").exists()


def test_a_github_login_without_a_membership_does_not_make_staff(charlie):
    maintainer_update_from_github(user=charlie, profile={"id": 3})
    assert not staff(charlie)


def test_a_github_login_keeps_a_members_staff_status(charlie, globex):
    maintainer_update_from_github(user=charlie, profile={"id": 3})
    assert staff(charlie)


def test_an_operator_keeps_staff_without_any_membership(db):
    operator = User.objects.create_superuser(username="ops", password="a-long-password-1")
    maintainer_update_from_github(user=operator, profile={"id": 4})
    assert staff(operator)
