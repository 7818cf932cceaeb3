"""Installing the GitHub App on an account, or adding repositories to the installation, adds
them to the organization the installation is bound to and starts each one's backfill as a job
(once, however often GitHub delivers it); repositories removed from it stop being read."""

import json

import pytest

from ingestion.core.webhook_signature import signature_for
from ingestion.models import Installation, Repository
from ingestion.services.webhooks.intake import delivery_receive
from tests.fakes.fixtures import app_private_key  # noqa: F401 - fixture
from tests.triage.verdicts.fixtures import INSTALLATION, ROCKET_ID, github, rocket_data  # noqa: F401 - fixtures
from tests.triage.verdicts.payloads import webhook_example
from workspace.models import AnalysisJob

SECRET = "test-webhook-secret"
pytestmark = pytest.mark.django_db


@pytest.fixture
def acme_installation(acme, settings) -> Installation:
    settings.GITHUB_WEBHOOK_SECRET = SECRET
    return Installation.objects.create(github_id=INSTALLATION, organization=acme, account_login="acme",
                                       account_type="Organization")


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Receive a delivery and process it, as the worker would once the request commits, then
    send what processing announced once it commits; the backfill jobs that starts stay queued
    (their hand-over to the worker is a third commit, left out)."""

    def run(callbacks: list, depth: int) -> None:
        for callback in callbacks:
            with django_capture_on_commit_callbacks() as later:
                callback()
            if depth > 1:
                run(later, depth - 1)

    def deliver(event: str, payload: dict, delivery_id: str) -> None:
        body = json.dumps(payload).encode()
        with django_capture_on_commit_callbacks() as processing:
            result = delivery_receive(body=body, event=event, delivery_id=delivery_id,
                                      signature=signature_for(SECRET, body), secret=SECRET)
        assert result.status_code in (200, 202), result
        run(processing, depth=2)

    return deliver


def repositories_added(*names: str, first_id: int = 7000) -> dict:
    payload = webhook_example("installation_repositories", "added")
    payload["installation"].update(id=INSTALLATION)
    payload["installation"]["account"].update(login="acme", type="Organization")
    payload["repositories_added"] = [
        {"id": first_id + index, "node_id": f"R_{first_id + index}", "name": name, "full_name": f"acme/{name}",
         "private": False} for index, name in enumerate(names)]
    payload["repositories_removed"] = []
    return payload


def test_repositories_added_to_the_installation_join_its_organization_and_start_a_backfill(
        acme_installation, deliver):
    deliver("installation_repositories", repositories_added("rocket", "satellite"), "added-1")
    added = Repository.objects.filter(full_name__in=["acme/rocket", "acme/satellite"])
    assert {repository.organization.login for repository in added} == {"acme"}
    assert {repository.installation_id for repository in added} == {acme_installation.pk}
    jobs = AnalysisJob.objects.filter(type="backfill").order_by("repository__full_name")
    assert [(job.repository.full_name, job.status) for job in jobs] == [
        ("acme/rocket", "queued"), ("acme/satellite", "queued")]


def test_a_second_delivery_of_the_same_repositories_starts_no_second_backfill(acme_installation, deliver):
    deliver("installation_repositories", repositories_added("rocket"), "added-1")
    deliver("installation_repositories", repositories_added("rocket"), "added-2")
    deliver("installation_repositories", repositories_added("rocket"), "added-2")  # GitHub's redelivery
    assert AnalysisJob.objects.filter(type="backfill").count() == 1


def test_the_installation_created_with_its_repositories_backfills_them(acme_installation, deliver):
    payload = webhook_example("installation", "created")
    payload["installation"].update(id=INSTALLATION)
    payload["installation"]["account"].update(login="acme", type="Organization")
    payload["repositories"] = [{"id": 7100, "node_id": "R_7100", "name": "engine", "full_name": "acme/engine",
                                "private": False}]
    deliver("installation", payload, "created-1")
    job = AnalysisJob.objects.get(type="backfill")
    assert job.repository.full_name == "acme/engine" and job.repository.organization.login == "acme"


def test_a_repository_removed_from_the_installation_stops_being_read(acme_installation, deliver):
    deliver("installation_repositories", repositories_added("rocket"), "added-1")
    payload = repositories_added()
    payload["action"] = "removed"
    payload["repositories_removed"] = [{"id": 7000, "node_id": "R_7000", "name": "rocket",
                                        "full_name": "acme/rocket", "private": False}]
    deliver("installation_repositories", payload, "removed-1")
    assert not Repository.objects.get(full_name="acme/rocket").is_active


@pytest.mark.usefixtures("github")
def test_the_backfill_runs_as_a_job_with_progress_against_github(acme_installation,
                                                                   django_capture_on_commit_callbacks):
    """End to end on the fake GitHub: the delivery is processed, the job runs and reads the repository."""
    payload = repositories_added("rocket", first_id=ROCKET_ID)
    body = json.dumps(payload).encode()
    with django_capture_on_commit_callbacks(execute=True):
        delivery_receive(body=body, event="installation_repositories", delivery_id="added-e2e",
                         signature=signature_for(SECRET, body), secret=SECRET)
    job = AnalysisJob.objects.get(type="backfill")
    assert (job.repository.full_name, job.status, job.progress) == ("acme/rocket", "completed", 100), job.error_message
    assert job.repository.pull_requests.count() == 2
