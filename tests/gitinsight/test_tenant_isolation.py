import pytest

from gitinsight.models import Membership, Organization
from tests.conftest import key_client

pytestmark = pytest.mark.django_db


def test_a_member_sees_only_their_organizations(alice, charlie, acme, globex):
    assert list(Organization.objects.visible_to(alice)) == [acme]
    assert list(Organization.objects.visible_to(charlie)) == [globex]


def test_visible_to_follows_a_path_to_the_organization(alice, charlie, acme, globex):
    assert set(Membership.objects.visible_to(charlie)) == set(globex.memberships.all())


def test_an_anonymous_user_sees_nothing(acme):
    from django.contrib.auth.models import AnonymousUser

    assert not Organization.objects.visible_to(AnonymousUser()).exists()


def test_the_api_lists_only_the_callers_organizations(charlie, acme, globex):
    response = key_client(charlie, "read").get("/api/v1/organizations")
    assert [org["login"] for org in response.json()["results"]] == ["globex"]


def test_the_api_hides_another_organization_as_not_found(charlie, acme, globex):
    response = key_client(charlie, "read").get(f"/api/v1/organizations/{acme.pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_admin_lists_only_the_viewers_organizations(client, charlie, acme, globex):
    from gitinsight.services.maintainers import maintainer_update_from_github

    maintainer_update_from_github(user=charlie, profile={"id": 3})
    client.force_login(charlie)
    changelist = client.get("/admin/gitinsight/organization/")
    assert changelist.status_code == 200
    assert b"globex" in changelist.content
    assert b"acme" not in changelist.content
    assert client.get(f"/admin/gitinsight/organization/{acme.pk}/change/").status_code == 404


def test_a_superuser_operator_sees_every_organization(db, acme, globex):
    from gitinsight.models import User

    operator = User.objects.create_superuser(username="ops", password="x-long-password")
    assert set(Organization.objects.visible_to(operator)) == set(Organization.objects.all())
