import pytest
from django.contrib.auth.models import AnonymousUser

from gitinsight.models import Membership, Organization, User
from ingestion.models import Milestone, Repository
from sprints.models import Recommendation
from tests.tenant_fixtures import Tenant, tenant_create
from triage.duplicates.models import ConfigSnapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def a() -> Tenant:
    return tenant_create("zqxalpha", number=7)


@pytest.fixture
def b() -> Tenant:
    return tenant_create("zqxbravo", number=11)


def test_a_model_lists_the_foreign_keys_that_lead_to_its_organization():
    fields = Recommendation.tenant_fields()
    assert [(field.model.__name__, field.name) for field in fields] == [
        ("Recommendation", "forecast"), ("ForecastResult", "milestone"), ("Milestone", "repository"),
        ("Repository", "organization"),
    ]
    assert fields[-1].related_model is Organization
    assert Organization.tenant_fields() == ()


def test_a_row_knows_its_organization(a):
    assert a.row(Recommendation).tenant_organization_id() == a.organization.pk
    assert a.organization.tenant_organization_id() == a.organization.pk
    assert ConfigSnapshot(repository=None).tenant_organization_id() is None  # the global config


def test_members_see_the_rows_of_their_organizations_only(a, b):
    assert list(Recommendation.objects.visible_to(a.user)) == [a.row(Recommendation)]
    assert set(Membership.objects.visible_to(b.user)) == set(b.organization.memberships.all())
    assert list(Organization.objects.visible_to(b.user)) == [b.organization]


def test_visible_to_chains_like_any_other_query(a, b):
    milestones = Milestone.objects.select_related("repository").visible_to(a.user).filter(state="open")
    assert [milestone.repository for milestone in milestones] == [a.repository]
    assert not a.repository.milestones.visible_to(b.user).exists()


def test_strangers_see_nothing_and_operators_everything(a, b):
    operator = User.objects.create_superuser(username="ops", password="x-long-password")
    assert not Repository.objects.visible_to(AnonymousUser()).exists()
    assert set(Repository.objects.visible_to(operator)) >= {a.repository, b.repository}


def test_in_organizations_takes_a_query_of_ids(a, b):
    ids = Organization.objects.filter(pk=b.organization.pk).values("pk")
    assert list(Recommendation.objects.in_organizations(ids)) == [b.row(Recommendation)]
