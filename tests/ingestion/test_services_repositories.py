"""Repositories and installations from GitHub JSON: a row belongs to one organization, a
clone is adopted by name only within it, and an installation stays bound where it was."""

import pytest
from django.forms.models import model_to_dict

from gitinsight.models import Organization
from ingestion.models import Installation, Repository
from ingestion.services import (
    RepositoryTenantConflict,
    installation_upsert,
    repository_refresh,
    repository_upsert,
)
from tests.ingestion.conftest import example

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(examples) -> dict:
    """A delivery about Codertocat/Hello-World."""
    return example(examples, "pull_request", "opened")


@pytest.fixture
def codertocat(db) -> Organization:
    return Organization.objects.create(login="Codertocat")


def clone_of(organization: Organization) -> Repository:
    return Repository.objects.create(organization=organization, owner="Codertocat", name="Hello-World",
                                     full_name="Codertocat/Hello-World", local_path="/srv/clones/hello")


def test_it_adopts_a_clone_of_the_organization_named_like_the_owner(codertocat, opened):
    local = clone_of(codertocat)

    stored = repository_upsert(data=opened["repository"])

    assert stored.pk == local.pk and stored.github_id == opened["repository"]["id"]
    assert stored.organization == codertocat and stored.local_path == "/srv/clones/hello"


def test_it_adopts_a_clone_of_the_organization_the_installation_is_bound_to(acme, opened):
    local = clone_of(acme)
    installation = Installation.objects.create(github_id=77, organization=acme, account_login="Codertocat")

    stored = repository_upsert(data=opened["repository"], installation=installation)

    assert stored.pk == local.pk and stored.organization == acme and stored.installation == installation


def test_it_never_adopts_another_organizations_clone(acme, codertocat, opened):
    local = clone_of(acme)
    before = model_to_dict(local)

    with pytest.raises(RepositoryTenantConflict, match="another organization"):
        repository_upsert(data=opened["repository"])

    local.refresh_from_db()
    assert model_to_dict(local) == before and Repository.objects.count() == 1


def test_an_installation_bound_elsewhere_never_writes_into_the_row(acme, globex, opened):
    stored = repository_upsert(data=opened["repository"], organization=acme)
    elsewhere = Installation.objects.create(github_id=78, organization=globex, account_login="Codertocat")
    renamed = {**opened["repository"], "description": "written by globex's installation"}

    with pytest.raises(RepositoryTenantConflict, match="another organization"):
        repository_upsert(data=renamed, installation=elsewhere)

    stored.refresh_from_db()
    assert stored.organization == acme and stored.installation is None
    assert stored.description != "written by globex's installation"


def test_data_without_an_installation_refreshes_the_row_that_holds_the_id(acme, opened):
    stored = repository_upsert(data=opened["repository"], organization=acme)

    again = repository_upsert(data={**opened["repository"], "description": "new words"})

    assert again.pk == stored.pk and again.organization == acme and again.description == "new words"


def test_an_installation_is_bound_to_its_accounts_organization_once(acme, globex, examples):
    payload = example(examples, "installation", "created")["installation"]
    payload["account"]["login"] = "acme"

    installation = installation_upsert(data=payload)
    assert installation.organization == acme

    # An operator binds it to globex; the next delivery does not move it back.
    Installation.objects.filter(pk=installation.pk).update(organization=globex)
    assert installation_upsert(data=payload).organization == globex


def test_an_installation_seen_without_its_account_stays_unbound_until_it_is_known(acme, examples):
    assert installation_upsert(data={"id": 4242}).organization is None

    payload = example(examples, "installation", "created")["installation"]
    payload.update(id=4242)
    payload["account"]["login"] = "ACME"
    assert installation_upsert(data=payload).organization == acme


def test_a_refresh_writes_only_into_the_row_that_asked(acme, globex, opened):
    asked = Repository.objects.create(organization=acme, owner="Codertocat", name="Hello-World",
                                      full_name="Codertocat/Hello-World")

    stored = repository_refresh(repository=asked, data=opened["repository"])

    assert stored.pk == asked.pk and stored.github_id == opened["repository"]["id"]
    other = Repository.objects.create(organization=globex, owner="globex", name="mirror", full_name="globex/mirror")
    with pytest.raises(RepositoryTenantConflict, match="when asked for globex/mirror"):
        repository_refresh(repository=other, data=opened["repository"])
    other.refresh_from_db()
    assert other.github_id is None


def test_a_refresh_is_refused_when_the_name_now_belongs_to_another_repository(acme, opened):
    asked = Repository.objects.create(organization=acme, owner="Codertocat", name="Hello-World",
                                      full_name="Codertocat/Hello-World", github_id=5)

    with pytest.raises(RepositoryTenantConflict, match="not 5"):
        repository_refresh(repository=asked, data=opened["repository"])
