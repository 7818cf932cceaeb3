"""Which credentials a repository's requests may use: decided from installations bound to
its organization and the operator's allow-list, never from the name alone."""

import pytest

from gitinsight.models import Organization
from ingestion.core.normalize.names import InvalidFullName
from ingestion.models import Installation
from ingestion.services.github_api.auth import repository_access
from ingestion.services.github_api.errors import GitHubNotConfigured, RepositoryAccessDenied

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(settings):
    settings.GITHUB_APP_ID = "4242"
    settings.GITHUB_APP_PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nunused\n-----END PRIVATE KEY-----"
    settings.GITHUB_TOKEN = ""
    settings.GITHUB_TOKEN_REPOSITORIES = []
    return settings


@pytest.fixture
def token(settings):
    settings.GITHUB_APP_ID = ""
    settings.GITHUB_APP_PRIVATE_KEY = ""
    settings.GITHUB_TOKEN = "ghp_operator"
    settings.GITHUB_TOKEN_REPOSITORIES = ["acme:octocat/Hello-World", "acme:psf/*"]
    return settings


def installation(organization: Organization | None, account: str, github_id: int = 1, **fields) -> Installation:
    return Installation.objects.create(github_id=github_id, organization=organization, account_login=account, **fields)


def test_the_installation_bound_to_the_organization_on_the_owners_account_is_used(app, acme):
    bound = installation(acme, "Octocat")
    assert repository_access(full_name="octocat/Hello-World", organization=acme).installation == bound


def test_an_installation_of_another_organization_is_never_used(app, acme, globex):
    installation(globex, "octocat")
    with pytest.raises(RepositoryAccessDenied, match="no GitHub App installation bound to acme"):
        repository_access(full_name="octocat/Hello-World", organization=acme)


def test_an_installation_on_another_account_covers_none_of_the_owners_repositories(app, acme):
    installation(acme, "acme")
    with pytest.raises(RepositoryAccessDenied, match="on the account octocat"):
        repository_access(full_name="octocat/Hello-World", organization=acme)


def test_deleted_and_unbound_installations_are_not_used(app, acme):
    from django.utils import timezone

    installation(acme, "octocat", github_id=1, deleted_at=timezone.now())
    installation(None, "octocat", github_id=2)
    with pytest.raises(RepositoryAccessDenied):
        repository_access(full_name="octocat/Hello-World", organization=acme)


def test_the_token_serves_only_the_pairs_the_operator_listed(token, acme, globex):
    assert repository_access(full_name="OctoCat/hello-world", organization=acme).installation is None
    assert repository_access(full_name="psf/requests", organization=acme).installation is None
    with pytest.raises(RepositoryAccessDenied, match="GITHUB_TOKEN_REPOSITORIES"):
        repository_access(full_name="octocat/Spoon-Knife", organization=acme)
    with pytest.raises(RepositoryAccessDenied, match="globex:octocat/Hello-World"):
        repository_access(full_name="octocat/Hello-World", organization=globex)


def test_the_token_serves_a_listed_repository_the_app_does_not_cover(app, acme):
    app.GITHUB_TOKEN = "ghp_operator"
    app.GITHUB_TOKEN_REPOSITORIES = ["acme:octocat/Hello-World"]
    assert repository_access(full_name="octocat/Hello-World", organization=acme).installation is None


def test_a_malformed_allow_list_entry_is_named(token, acme):
    token.GITHUB_TOKEN_REPOSITORIES = ["octocat/Hello-World"]
    with pytest.raises(GitHubNotConfigured, match="'octocat/Hello-World' is not ORGANIZATION:OWNER/NAME"):
        repository_access(full_name="octocat/Hello-World", organization=acme)


def test_without_credentials_it_says_which_settings_are_missing(settings, acme):
    settings.GITHUB_APP_ID = ""
    settings.GITHUB_TOKEN = ""
    with pytest.raises(GitHubNotConfigured, match="set GITHUB_TOKEN"):
        repository_access(full_name="octocat/Hello-World", organization=acme)


def test_a_name_that_is_not_owner_slash_name_is_refused_first(token, acme):
    token.GITHUB_TOKEN_REPOSITORIES = ["acme:../*"]
    with pytest.raises(InvalidFullName):
        repository_access(full_name="../user", organization=acme)
