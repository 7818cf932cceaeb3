import re

import pytest

from gitinsight.models import AuditLog
from gitinsight.services.maintainers import maintainer_update_from_github
from ingestion.models import Commit, CommitFile, Installation, PullRequest, Repository, WebhookDelivery, WorkflowRun
from ingestion.services import pull_request_upsert
from tests.ingestion.conftest import example


@pytest.fixture
def maintainer_client(client, alice):
    maintainer_update_from_github(user=alice, profile={"id": 1})
    client.force_login(alice)
    return client


@pytest.fixture
def rocket(acme) -> Repository:
    return Repository.objects.create(organization=acme, owner="acme", name="rocket", full_name="acme/rocket")


@pytest.fixture
def secret_project(globex) -> Repository:
    return Repository.objects.create(organization=globex, owner="globex", name="vault", full_name="globex/vault")


def test_it_lists_only_the_viewers_repositories_with_counts(maintainer_client, rocket, secret_project):
    Commit.objects.create(repository=rocket, sha="a" * 40)
    response = maintainer_client.get("/admin/ingestion/repository/")
    assert response.status_code == 200
    assert b"acme/rocket" in response.content
    assert b"globex/vault" not in response.content


def test_it_shows_a_commit_with_its_files(maintainer_client, rocket):
    commit = Commit.objects.create(repository=rocket, sha="b" * 40)
    CommitFile.objects.create(
        repository=rocket, commit=commit, path="src/engine.py", status="ADDED", channel="PRODUCTION"
    )
    response = maintainer_client.get(f"/admin/ingestion/commit/{commit.pk}/change/")
    assert response.status_code == 200
    assert b"src/engine.py" in response.content


def test_it_shows_a_pull_request_with_its_history(maintainer_client, rocket, examples):
    pull_request = pull_request_upsert(
        repository=rocket, data=example(examples, "pull_request", "opened")["pull_request"]
    )
    response = maintainer_client.get(f"/admin/ingestion/pullrequest/{pull_request.pk}/change/")
    assert response.status_code == 200
    assert b"opened" in response.content


def test_it_reprocesses_a_failed_delivery_and_audits_it(maintainer_client, rocket, examples):
    payload = example(examples, "pull_request", "opened")
    payload["repository"]["full_name"] = "acme/rocket"
    WebhookDelivery.objects.create(
        delivery_id="again-1",
        event="pull_request",
        action="opened",
        payload_sha256="0" * 64,
        payload=payload,
        repository=rocket,
        status=WebhookDelivery.Status.FAILED,
        error="database was down",
    )
    response = maintainer_client.post(
        "/admin/ingestion/webhookdelivery/", {"action": "reprocess", "_selected_action": ["again-1"]}, follow=True
    )
    assert response.status_code == 200
    assert WebhookDelivery.objects.get(pk="again-1").status == WebhookDelivery.Status.PROCESSED
    assert PullRequest.objects.filter(repository=rocket).exists()
    audit = AuditLog.objects.get(action="webhook_delivery.reprocess")
    assert (audit.resource_id, audit.details["status"]) == ("again-1", "PROCESSED")


def test_a_delivery_reads_as_what_happened_and_is_filtered_by_event_in_words(maintainer_client, rocket):
    for number, (event, action) in enumerate([("pull_request", "opened"), ("check_run", "completed")]):
        WebhookDelivery.objects.create(delivery_id=f"words-{number}", event=event, action=action,
                                       payload_sha256="0" * 64, repository=rocket)

    page = maintainer_client.get("/admin/ingestion/webhookdelivery/").content.decode()
    detail = maintainer_client.get("/admin/ingestion/webhookdelivery/words-1/change/").content.decode()
    filtered = maintainer_client.get("/admin/ingestion/webhookdelivery/?event=check_run").content.decode()

    assert "Pull request opened" in page and "Check run completed" in page
    assert ">Check run<" in page  # the event filter's choice
    assert "Check run completed" in detail and "check_run" not in detail.split('id="content-main"', 1)[-1]
    assert "words-1" in filtered and "words-0" not in filtered


def test_a_workflow_run_reads_its_trigger_status_and_conclusion_in_words(maintainer_client, rocket):
    run = WorkflowRun.objects.create(github_id=71, repository=rocket, name="CI", event="pull_request_target",
                                     status="in_progress", conclusion="timed_out", head_sha="c" * 40)

    listing = maintainer_client.get("/admin/ingestion/workflowrun/").content.decode()
    detail = maintainer_client.get(f"/admin/ingestion/workflowrun/{run.pk}/change/").content.decode()

    for page in (listing, detail):
        assert "Pull request target" in page and "In progress" in page and "Timed out" in page
        assert not re.search(r">\s*(in_progress|timed_out|pull_request_target)\s*<", page)


def test_it_lets_a_maintainer_suspend_monitoring(maintainer_client, rocket):
    page = maintainer_client.get(f"/admin/ingestion/repository/{rocket.pk}/change/")
    assert page.status_code == 200
    response = maintainer_client.post(
        f"/admin/ingestion/repository/{rocket.pk}/change/",
        {
            "default_branch": "main",
            "monitoring_status": "suspended",
            "failure_count": 0,
            "analysis_status": "pending",
            "is_active": "on",
            "settings": "{}",
            "metadata": "{}",
            "description": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    rocket.refresh_from_db()
    assert rocket.monitoring_status == "suspended"


def test_an_operator_binds_an_installation_to_an_organization(admin_client, acme, globex):
    installation = Installation.objects.create(github_id=91, organization=acme, account_login="acme")

    response = admin_client.post(f"/admin/ingestion/installation/{installation.pk}/change/",
                                 {"organization": globex.pk}, follow=True)

    assert response.status_code == 200
    installation.refresh_from_db()
    assert installation.organization == globex and installation.account_login == "acme"
    assert AuditLog.objects.filter(action="admin.change", resource_id=str(installation.pk)).exists()


def test_a_maintainer_cannot_move_an_installation(maintainer_client, acme, globex):
    installation = Installation.objects.create(github_id=92, organization=acme, account_login="acme")

    page = maintainer_client.get(f"/admin/ingestion/installation/{installation.pk}/change/")
    response = maintainer_client.post(f"/admin/ingestion/installation/{installation.pk}/change/",
                                      {"organization": globex.pk})

    assert page.status_code == 200 and 'name="organization"' not in page.content.decode()
    assert response.status_code == 403
    installation.refresh_from_db()
    assert installation.organization == acme
