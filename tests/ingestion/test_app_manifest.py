"""Setting up GitInsight as a GitHub App from the admin: the page builds the manifest with the
permissions and events GitInsight needs, GitHub's redirect back is traded for the App's
credentials on the fake GitHub, and the page says which environment variables to set with
them; nothing of them is stored, and only operators reach it."""

import html
import json
import re

import pytest

from gitinsight.models import AuditLog
from gitinsight.services.maintainers import maintainer_update_from_github
from tests.fakes.github_checks import Conversion
from tests.fakes.github_examples import build_repository
from tests.fakes.github_server import FakeGitHub

SETUP = "/admin/ingestion/installation/app-setup/"
DONE = "/admin/ingestion/installation/app-setup/done/"
PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"
pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_github(settings):
    with FakeGitHub(build_repository(pulls=0, issues=0, commits=0, milestones=0, workflow_runs=0)) as fake:
        settings.GITHUB_API_URL = fake.url
        settings.SITE_URL = "https://gitinsight.example.org"
        yield fake


def manifest_of(page: str) -> dict:
    value = re.search(r'name="manifest" value="([^"]*)"', page).group(1)
    return json.loads(html.unescape(value))


def state_of(page: str) -> str:
    return re.search(r'action="[^"]*\?state=([^"&]+)"', page).group(1)


def test_the_manifest_asks_for_what_gitinsight_needs(admin_client, fake_github):
    page = admin_client.get(SETUP, {"organization": "acme"}).content.decode()
    manifest = manifest_of(page)
    assert manifest["default_permissions"] == {"checks": "write", "pull_requests": "read", "issues": "read",
                                               "contents": "read", "metadata": "read", "actions": "read"}
    assert set(manifest["default_events"]) == {"pull_request", "push", "check_run", "check_suite", "workflow_run",
                                               "issues", "issue_comment", "milestone"}
    assert manifest["hook_attributes"]["url"] == "https://gitinsight.example.org/webhooks/github"
    assert manifest["redirect_url"] == "https://gitinsight.example.org" + DONE
    assert 'action="https://github.com/organizations/acme/settings/apps/new?state=' in page
    assert "installation_repositories" in page  # always sent to Apps, said on the page


def test_the_comment_to_authors_adds_write_access_to_issues_only_when_ticked(admin_client, fake_github):
    plain = admin_client.get(SETUP).content.decode()
    ticked = admin_client.get(SETUP, {"author_comment": "1"}).content.decode()

    assert manifest_of(plain)["default_permissions"]["issues"] == "read"
    assert 'name="author_comment" value="1">' in plain  # offered, not ticked
    assert "Everything is read only except GitInsight's own check runs" in plain
    assert "write access to issues" in plain  # why the box exists, in words
    assert manifest_of(ticked)["default_permissions"] == {**manifest_of(plain)["default_permissions"],
                                                          "issues": "write"}
    assert 'name="author_comment" value="1" checked>' in ticked
    assert "Issues are writable only for the comment that mentions a pull request's author" in ticked


def test_the_code_github_sends_back_becomes_the_environment_to_set(admin_client, fake_github):
    fake_github.app.manifest_codes["code-123"] = Conversion(app_id=777, slug="gitinsight-acme", pem=PEM)
    state = state_of(admin_client.get(SETUP).content.decode())
    response = admin_client.get(DONE, {"code": "code-123", "state": state})
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "GITHUB_APP_ID=777" in page and "GITHUB_WEBHOOK_SECRET=whsec_fake_manifest_secret" in page
    assert "GITHUB_APP_PRIVATE_KEY='-----BEGIN PRIVATE KEY-----\\n" in html.unescape(page)
    assert "https://github.com/apps/gitinsight-acme/installations/new" in page
    audit = AuditLog.objects.get(action="github_app.created")
    assert audit.resource_id == "777" and "whsec" not in json.dumps(audit.details)
    # The code was good once; the page, reloaded, starts over instead of showing the keys again.
    again = admin_client.get(DONE, {"code": "code-123", "state": state})
    assert again.status_code == 400 and "GITHUB_APP_ID" not in again.content.decode()


def test_a_redirect_not_started_here_is_refused(admin_client, fake_github):
    fake_github.app.manifest_codes["code-123"] = Conversion(app_id=777, slug="x", pem=PEM)
    admin_client.get(SETUP)
    response = admin_client.get(DONE, {"code": "code-123", "state": "forged"})
    assert response.status_code == 400 and "code-123" in fake_github.app.manifest_codes


def test_an_expired_code_says_to_start_again(admin_client, fake_github):
    state = state_of(admin_client.get(SETUP).content.decode())
    response = admin_client.get(DONE, {"code": "expired", "state": state})
    assert response.status_code == 502 and "start the set-up again" in response.content.decode()


def test_maintainers_cannot_set_up_the_app(client, alice):
    maintainer_update_from_github(user=alice, profile={"id": 1})
    alice.is_staff = True
    alice.save()
    client.force_login(alice)
    assert client.get(SETUP).status_code == 403
    assert client.get(DONE, {"code": "code-123", "state": "x"}).status_code == 403
