"""Issue 17, attack 1, replayed: the owner of one organization (globex) tries to reach the
GitHub data of another (acme) by typing its repository's name. Every attempt goes
through a real edge (the API, the backfill and polling tasks, signed webhooks, the
commands, a GH Archive dump) against the fake GitHub on loopback, and must be refused with
nothing changed: no installation looked up by the typed name, no token of acme's
installation minted, none of acme's pull requests visible to globex. The legitimate
flows beside them keep working."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict

from gitinsight.models import Organization, User
from ingestion.models import BackfillRun, Installation, PullRequest, Repository, WebhookDelivery
from tests.conftest import key_client
from tests.fakes.github_examples import ExamplesMissing, RepositoryData, build_repository
from tests.fakes.github_server import FakeGitHub
from tests.ingestion.conftest import example

A_INSTALLATION = 5101
B_INSTALLATION = 5202
HR_PRIVATE = "acme/hr-private"
HR_PRIVATE_ID = 7001


# --- the fake GitHub and the server's credentials ------------------------------------
@pytest.fixture
def hr_private() -> RepositoryData:
    try:
        data = build_repository("acme", "hr-private", repo_id=HR_PRIVATE_ID)
    except ExamplesMissing as exc:
        pytest.skip(f"GitHub's example responses are not cached ({exc})")
    data.repo["private"] = True
    for pull in data.pulls:
        pull["title"] = f"acme secret {pull['number']}"
    return data


@pytest.fixture
def globex_tools() -> RepositoryData:
    return build_repository("globex", "tools", repo_id=8002, pulls=2, issues=1, commits=2, milestones=0,
                            workflow_runs=0)


@pytest.fixture
def fake(hr_private, globex_tools) -> Iterator[FakeGitHub]:
    """GitHub with the App installed on acme (installation 5101) and on globex (5202);
    each installation's token reads only its own account's repositories."""
    with FakeGitHub(hr_private, globex_tools) as server:
        server.installations.clear()
        server.add_installation(A_INSTALLATION, "acme")
        server.add_installation(B_INSTALLATION, "globex")
        yield server


@pytest.fixture(scope="module")
def app_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


@pytest.fixture
def app_settings(settings, fake, app_key):
    """The server runs as the GitHub App, with no personal token."""
    settings.GITHUB_API_URL = fake.url
    settings.GITHUB_APP_ID = str(fake.app_id)
    settings.GITHUB_APP_PRIVATE_KEY = app_key
    settings.GITHUB_TOKEN = ""
    settings.GITHUB_TOKEN_REPOSITORIES = []
    return settings


@pytest.fixture
def token_settings(settings, fake):
    """The server runs with a personal token that can read every repository of the fake;
    the operator allowed it for acme's hr-private and globex's tools only."""
    settings.GITHUB_API_URL = fake.url
    settings.GITHUB_APP_ID = ""
    settings.GITHUB_APP_PRIVATE_KEY = ""
    settings.GITHUB_TOKEN = fake.token
    settings.GITHUB_TOKEN_REPOSITORIES = [f"acme:{HR_PRIVATE}", "globex:globex/tools"]
    return settings


@pytest.fixture
def installations(acme, globex) -> dict[str, Installation]:
    """Each App installation bound to its organization, as GitHub's installation webhook binds it."""
    return {
        "acme": Installation.objects.create(github_id=A_INSTALLATION, organization=acme,
                                            account_login="acme", account_type="Organization"),
        "globex": Installation.objects.create(github_id=B_INSTALLATION, organization=globex,
                                              account_login="globex", account_type="Organization"),
    }


@pytest.fixture
def squatted(globex) -> Repository:
    """acme/hr-private as globex registered it before the fix: a row of globex with no
    GitHub id (a clone-only row an operator made looks the same)."""
    return Repository.objects.create(organization=globex, owner="acme", name="hr-private", full_name=HR_PRIVATE)


# --- helpers ---------------------------------------------------------------------------
def connect(user: User, full_name: str, organization: Organization, capture):
    """POST /api/v1/repositories as `user`, then run what it enqueued (the backfill), as the
    worker would once the request commits."""
    client = key_client(user, "read", "write")
    with capture() as enqueued:
        response = client.post("/api/v1/repositories", {"full_name": full_name, "organization": organization.pk},
                               format="json")
    for callback in enqueued:
        callback()
    return response


def refusal(response) -> str:
    """The sentence a 400 from the connect endpoint gives for the name."""
    return " ".join(response.json()["error"]["details"]["full_name"])


def pull_request_titles(user: User) -> list[str]:
    response = key_client(user, "read").get("/api/v1/pull-requests", {"page_size": 500})
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["results"])


def installation_lookups(fake: FakeGitHub) -> list[str]:
    return [r.path for r in fake.requests if r.path.endswith("/installation")]


def tokens_minted(fake: FakeGitHub) -> list[str]:
    return [r.path for r in fake.requests if r.method == "POST" and r.path.startswith("/app/installations/")]


def pull_request_delivery(examples, *, installation_id: int | None, repo: dict) -> dict:
    """A signed pull_request.opened delivery about `repo`, sent by `installation_id`."""
    payload = example(examples, "pull_request", "opened")
    payload["repository"] = json.loads(json.dumps(repo))
    payload["pull_request"]["title"] = "acme secret from a webhook"
    payload["pull_request"]["base"]["repo"] = payload["repository"]
    if installation_id is not None:
        payload["installation"] = {"id": installation_id, "node_id": "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u"}
    return payload


def row_state(repository: Repository) -> dict:
    repository.refresh_from_db()
    return model_to_dict(repository)


# --- attack 1: connecting acme's repository by name ----------------------------------
def test_b_cannot_connect_a_repository_of_a_through_the_api(
    app_settings, fake, installations, alice, charlie, acme, globex, django_capture_on_commit_callbacks
):
    response = connect(charlie, HR_PRIVATE, globex, django_capture_on_commit_callbacks)

    assert response.status_code == 400, response.content
    assert "acme" in refusal(response)
    assert not Repository.objects.filter(full_name__iexact=HR_PRIVATE).exists()
    assert installation_lookups(fake) == [] and tokens_minted(fake) == []
    assert fake.requests == []
    assert pull_request_titles(charlie) == []


def test_the_backfill_of_a_row_b_holds_mints_no_token_of_a(app_settings, fake, installations, charlie, squatted):
    from ingestion.tasks import backfill_run_task

    backfill = BackfillRun.objects.create(repository=squatted, requested_by=charlie)

    with pytest.raises(Exception, match="acme"):
        backfill_run_task(backfill.pk)

    backfill.refresh_from_db()
    assert backfill.status == BackfillRun.Status.FAILED
    assert "installation" in backfill.error and "globex" in backfill.error
    assert installation_lookups(fake) == [] and tokens_minted(fake) == [] and fake.requests == []
    assert not PullRequest.objects.exists()
    assert pull_request_titles(charlie) == []


def test_polling_a_row_b_holds_mints_no_token_of_a(app_settings, fake, installations, charlie, squatted):
    from ingestion.tasks import repository_poll_task

    assert repository_poll_task(squatted.pk) == "failed"

    squatted.refresh_from_db()
    assert "installation" in squatted.last_error and squatted.failure_count == 1
    assert installation_lookups(fake) == [] and tokens_minted(fake) == [] and fake.requests == []
    assert not PullRequest.objects.exists()


def test_the_personal_token_reads_only_what_the_operator_allowed_for_each_organization(
    token_settings, fake, alice, charlie, acme, globex, django_capture_on_commit_callbacks
):
    refused = connect(charlie, HR_PRIVATE, globex, django_capture_on_commit_callbacks)

    assert refused.status_code == 400, refused.content
    assert "GITHUB_TOKEN_REPOSITORIES" in refusal(refused)
    assert fake.requests == [] and pull_request_titles(charlie) == []

    allowed = connect(alice, HR_PRIVATE, acme, django_capture_on_commit_callbacks)
    own = connect(charlie, "globex/tools", globex, django_capture_on_commit_callbacks)

    assert (allowed.status_code, own.status_code) == (202, 202)
    assert BackfillRun.objects.get(pk=allowed.json()["id"]).status == BackfillRun.Status.COMPLETED
    assert pull_request_titles(alice) == [f"acme secret {n}" for n in range(1, 6)]
    assert not [title for title in pull_request_titles(charlie) if "acme" in title]
    assert len(pull_request_titles(charlie)) == 2


def test_each_organization_backfills_with_its_own_installation_and_no_name_lookup(
    app_settings, fake, installations, alice, charlie, acme, globex, django_capture_on_commit_callbacks
):
    own = connect(alice, HR_PRIVATE, acme, django_capture_on_commit_callbacks)
    theirs = connect(charlie, "globex/tools", globex, django_capture_on_commit_callbacks)

    assert (own.status_code, theirs.status_code) == (202, 202), (own.content, theirs.content)
    assert BackfillRun.objects.get(pk=own.json()["id"]).status == BackfillRun.Status.COMPLETED
    assert BackfillRun.objects.get(pk=theirs.json()["id"]).status == BackfillRun.Status.COMPLETED
    assert installation_lookups(fake) == []
    assert sorted(set(tokens_minted(fake))) == [f"/app/installations/{A_INSTALLATION}/access_tokens",
                                                f"/app/installations/{B_INSTALLATION}/access_tokens"]
    repository = Repository.objects.get(full_name=HR_PRIVATE)
    assert repository.organization == acme and repository.installation == installations["acme"]
    assert pull_request_titles(alice) == [f"acme secret {n}" for n in range(1, 6)]
    assert len(pull_request_titles(charlie)) == 2


def test_an_installation_webhook_binds_the_installation_that_alice_then_connects_with(
    app_settings, fake, github, examples, alice, acme, django_capture_on_commit_callbacks
):
    payload = example(examples, "installation", "created")
    payload["installation"].update(id=A_INSTALLATION)
    payload["installation"]["account"].update(login="acme", id=90001, type="Organization")
    payload["repositories"] = []
    assert github.send("installation", payload).status_code == 202

    assert Installation.objects.get(github_id=A_INSTALLATION).organization == acme
    response = connect(alice, HR_PRIVATE, acme, django_capture_on_commit_callbacks)
    assert response.status_code == 202, response.content
    assert BackfillRun.objects.get(pk=response.json()["id"]).status == BackfillRun.Status.COMPLETED
    assert installation_lookups(fake) == []
    assert len(pull_request_titles(alice)) == 5


# --- attack 1: acme's signed webhooks adopted into globex's row ------------------------
def test_the_exact_replay_b_connects_first_then_a_webhook_arrives(
    app_settings, fake, installations, github, examples, hr_private, alice, charlie, acme, globex,
    django_capture_on_commit_callbacks,
):
    connect(charlie, HR_PRIVATE, globex, django_capture_on_commit_callbacks)
    github.send("pull_request", pull_request_delivery(examples, installation_id=A_INSTALLATION, repo=hr_private.repo),
                delivery_id="a-webhook")

    assert WebhookDelivery.objects.get(pk="a-webhook").status == WebhookDelivery.Status.PROCESSED
    assert Repository.objects.get(full_name=HR_PRIVATE).organization == acme
    assert pull_request_titles(charlie) == []
    assert pull_request_titles(alice) == ["acme secret from a webhook"]
    response = connect(alice, HR_PRIVATE, acme, django_capture_on_commit_callbacks)
    assert response.status_code == 202, response.content


def test_a_webhook_of_a_installation_is_refused_for_a_name_b_holds_and_recorded(
    app_settings, fake, installations, github, examples, hr_private, squatted, alice, charlie, acme, globex,
    admin_client, django_capture_on_commit_callbacks,
):
    before = row_state(squatted)

    response = github.send("pull_request",
                           pull_request_delivery(examples, installation_id=A_INSTALLATION, repo=hr_private.repo),
                           delivery_id="a-webhook")

    assert response.status_code == 202
    delivery = WebhookDelivery.objects.get(pk="a-webhook")
    assert delivery.status == "REFUSED", delivery.error
    assert "another organization" in delivery.error and delivery.repository is None
    assert row_state(squatted) == before
    assert not PullRequest.objects.exists() and not Repository.objects.exclude(pk=squatted.pk).exists()
    assert pull_request_titles(charlie) == []
    # Recorded where the operator looks: the operations page and the deliveries admin.
    page = admin_client.get("/admin/operations/").content.decode()
    assert "Refused deliveries in the last 24 h" in page and "another organization" in page
    assert "another organization" in admin_client.get("/admin/ingestion/webhookdelivery/").content.decode()

    # The rightful owner's own connect still works; globex's row keeps its data under another name.
    connected = connect(alice, HR_PRIVATE, acme, django_capture_on_commit_callbacks)

    assert connected.status_code == 202, connected.content
    own = Repository.objects.get(full_name=HR_PRIVATE)
    assert own.organization == acme and own.pk != squatted.pk
    squatted.refresh_from_db()
    assert squatted.organization == globex and squatted.full_name != HR_PRIVATE and squatted.github_id is None
    assert len(pull_request_titles(alice)) == 5 and pull_request_titles(charlie) == []


def test_a_webhook_of_a_installation_never_writes_into_a_row_b_holds_by_github_id(
    app_settings, fake, installations, github, examples, hr_private, globex, charlie
):
    # A row of globex that already carries acme's GitHub id (adopted before the fix).
    held = Repository.objects.create(organization=globex, owner="acme", name="hr-private", full_name=HR_PRIVATE,
                                     github_id=HR_PRIVATE_ID)
    before = row_state(held)

    github.send("pull_request", pull_request_delivery(examples, installation_id=A_INSTALLATION, repo=hr_private.repo),
                delivery_id="a-webhook")

    delivery = WebhookDelivery.objects.get(pk="a-webhook")
    assert delivery.status == "REFUSED" and "another organization" in delivery.error
    assert row_state(held) == before and not PullRequest.objects.exists()
    assert pull_request_titles(charlie) == []


def test_a_repository_webhook_without_installation_never_adopts_another_organizations_clone(
    github, examples, hr_private, acme, globex, charlie
):
    clone = Repository.objects.create(organization=globex, owner="acme", name="hr-private", full_name=HR_PRIVATE,
                                      local_path="/srv/clones/hr-private")
    before = row_state(clone)

    github.send("pull_request", pull_request_delivery(examples, installation_id=None, repo=hr_private.repo),
                delivery_id="hook")

    assert WebhookDelivery.objects.get(pk="hook").status == "REFUSED"
    assert row_state(clone) == before and not PullRequest.objects.exists()


def test_a_removed_repository_of_a_installation_deactivates_only_its_own_rows(
    github, examples, installations, globex
):
    held = Repository.objects.create(organization=globex, owner="globex", name="tools", full_name="globex/tools",
                                     github_id=HR_PRIVATE_ID)
    payload = example(examples, "installation_repositories", "removed")
    payload["installation"].update(id=A_INSTALLATION)
    payload["installation"]["account"].update(login="acme")
    payload["repositories_added"] = []
    payload["repositories_removed"] = [{"id": HR_PRIVATE_ID, "name": "hr-private", "full_name": HR_PRIVATE}]

    github.send("installation_repositories", payload)

    held.refresh_from_db()
    assert held.is_active


# --- attack 1: names with dot segments --------------------------------------------------
BAD_NAMES = ["../user", "../rate_limit", "acme/..", "./hr-private", "acme/hr-private/../../user", "../..",
             "acme/.", "-x/hr-private"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_name_with_dot_segments_is_refused_by_the_api(
    token_settings, fake, charlie, globex, name, django_capture_on_commit_callbacks
):
    token_settings.GITHUB_TOKEN_REPOSITORIES = [f"globex:{name}"]  # even an operator's slip does not open it

    response = connect(charlie, name, globex, django_capture_on_commit_callbacks)

    assert response.status_code == 400, response.content
    assert not Repository.objects.exists() and fake.requests == []


@pytest.mark.parametrize("name", ["../user", "acme/..", "a/b/c"])
def test_a_name_with_dot_segments_is_refused_by_ingest_github(token_settings, fake, globex, name):
    with pytest.raises(CommandError, match="OWNER/NAME"):
        call_command("ingest_github", name, "--organization", "globex", "--no-progress")
    assert not Repository.objects.exists() and fake.requests == []


def test_a_row_with_a_dot_segment_name_is_never_requested(token_settings, fake, globex, acme, charlie):
    """The `../rate_limit` replay: GitHub's /rate_limit has no id, and the guard looked for
    `github_id=None`, found acme's clone-only repository and named it to globex."""
    from ingestion.tasks import backfill_run_task

    token_settings.GITHUB_TOKEN_REPOSITORIES = ["globex:../rate_limit"]
    clone = Repository.objects.create(organization=acme, owner="acme", name="payroll",
                                      full_name="acme/payroll", local_path="/srv/clones/payroll")
    legacy = Repository.objects.create(organization=globex, owner="..", name="rate_limit", full_name="../rate_limit")
    backfill = BackfillRun.objects.create(repository=legacy, requested_by=charlie)
    before = row_state(clone)

    with pytest.raises(Exception, match="OWNER/NAME"):
        backfill_run_task(backfill.pk)

    backfill.refresh_from_db()
    assert backfill.status == BackfillRun.Status.FAILED and "payroll" not in backfill.error
    assert fake.requests == [] and row_state(clone) == before


def test_an_answer_without_a_github_id_never_matches_another_tenants_clone(
    token_settings, fake, globex_tools, acme, globex, charlie
):
    from ingestion.tasks import backfill_run_task

    del globex_tools.repo["id"]  # GitHub answered something that is not a repository
    clone = Repository.objects.create(organization=acme, owner="acme", name="payroll",
                                      full_name="acme/payroll", local_path="/srv/clones/payroll")
    tools = Repository.objects.create(organization=globex, owner="globex", name="tools", full_name="globex/tools")
    backfill = BackfillRun.objects.create(repository=tools, requested_by=charlie)
    before = row_state(clone)

    with pytest.raises(Exception):  # noqa: B017 - what matters is what it did not do
        backfill_run_task(backfill.pk)

    backfill.refresh_from_db()
    assert backfill.status == BackfillRun.Status.FAILED
    assert "payroll" not in backfill.error
    assert row_state(clone) == before
    tools.refresh_from_db()
    assert tools.github_id is None


def test_a_signed_webhook_naming_a_dot_segment_repository_stores_nothing(db, github, examples, hr_private):
    repo = json.loads(json.dumps(hr_private.repo))
    repo.update(full_name="../user", name="user")

    github.send("pull_request", pull_request_delivery(examples, installation_id=None, repo=repo), delivery_id="dots")

    delivery = WebhookDelivery.objects.get(pk="dots")
    assert delivery.status in ("FAILED", "REFUSED") and "OWNER/NAME" in delivery.error
    assert not Repository.objects.exists() and not PullRequest.objects.exists()


def test_a_gh_archive_event_naming_a_dot_segment_repository_is_rejected(tmp_path, db, capsys):
    dump = tmp_path / "2019-05-15-15.json.gz"
    event = {"id": "1", "type": "IssuesEvent", "actor": {"id": 1, "login": "x"},
             "repo": {"id": 5, "name": "../user", "url": "https://api.github.com/repos/../user"},
             "payload": {"action": "opened", "issue": {"id": 9, "number": 1, "title": "x", "state": "open"}},
             "public": True, "created_at": "2019-05-15T15:20:45Z"}
    with gzip.open(dump, "wt", encoding="utf-8") as out:
        out.write(json.dumps(event) + "\n")

    call_command("import_gharchive", str(dump), "--all", "--no-progress")

    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["rejected"] == 1 and "OWNER/NAME" in summary["errors"][0]
    assert not Repository.objects.exists()
