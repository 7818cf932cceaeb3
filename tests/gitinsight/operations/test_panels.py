"""The operations page as an operator sees it: real deliveries, queued tasks and backups."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_q.models import OrmQ

from gitinsight.database.backups import backup_create
from ingestion.models import Repository, WebhookDelivery

pytestmark = pytest.mark.django_db

URL = "/admin/operations/"


@pytest.fixture
def backups(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings.BACKUP_DIR


@pytest.fixture
def deliveries(acme, globex) -> None:
    rocket = Repository.objects.create(organization=acme, owner="acme", name="rocket", full_name="acme/rocket")
    secret = Repository.objects.create(organization=globex, owner="globex", name="secret", full_name="globex/secret")
    for delivery_id, repository, status in [
        ("waiting", rocket, WebhookDelivery.Status.RECEIVED),
        ("broken", rocket, WebhookDelivery.Status.FAILED),
        ("globex-broken", secret, WebhookDelivery.Status.FAILED),
    ]:
        WebhookDelivery.objects.create(
            delivery_id=delivery_id, event="push", payload_sha256="0" * 64, repository=repository, status=status
        )
    WebhookDelivery.objects.filter(delivery_id="waiting").update(received_at=timezone.now() - timedelta(hours=1))


def metric(page: str, label: str) -> str:
    """The value cell of the row labelled `label`."""
    row = page.split(f"<th scope=\"row\">{label}</th>", 1)[1]
    return row.split("<td>", 1)[1].split("</td>", 1)[0].replace("\xa0", " ")  # timesince joins with nbsp


def test_a_superuser_sees_ingestion_queue_backup_and_database_health(admin_client, deliveries, backups):
    OrmQ.objects.create(key="gitinsight", payload="task", lock=timezone.now() - timedelta(minutes=30))
    run = backup_create()

    response = admin_client.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert metric(page, "Deliveries waiting to be processed").startswith("1, the oldest received 1 hour ago")
    assert metric(page, "Failed deliveries in the last 24 h") == "2"
    assert metric(page, "Last webhook delivery").startswith("0")
    assert metric(page, "Queued tasks") == "1"
    assert metric(page, "Oldest queued task").startswith("30")
    assert metric(page, "File") == run.file
    assert metric(page, "Database") == f"<code>{connection.settings_dict['NAME']}</code>" and "Largest tables" in page
    assert "Could not be read" not in page


def test_staff_see_only_their_organizations_deliveries_and_no_platform_panels(client, bob, deliveries):
    bob.is_staff = True
    bob.save()
    client.force_login(bob)

    page = client.get(URL).content.decode()

    assert metric(page, "Failed deliveries in the last 24 h") == "1"
    assert "Job queue" not in page and "Largest tables" not in page
    assert "shown to superusers only" in page


def test_a_panel_that_cannot_be_read_shows_one_error_line_and_the_rest_still_render(admin_client, backups):
    backups.mkdir(parents=True)
    (backups / "backups.json").write_text("{not json")

    page = admin_client.get(URL).content.decode()

    assert "Could not be read (BackupError: The backup manifest" in page
    assert "Traceback" not in page
    assert metric(page, "Queued tasks") == "0"


def test_the_page_says_when_there_has_never_been_a_backup(admin_client, backups):
    page = admin_client.get(URL).content.decode()

    assert metric(page, "Last backup").startswith("never")


def test_a_user_who_is_not_staff_is_sent_to_the_login_page(client, charlie):
    client.force_login(charlie)

    response = client.get(URL)

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302 and response["Location"] == f"/admin/login/?next={URL}"


def test_the_admin_index_links_to_the_operations_page(admin_client):
    page = admin_client.get("/admin/").content.decode()

    assert f'href="{URL}"' in page
