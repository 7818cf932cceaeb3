import pytest
from django.db import DatabaseError, transaction

from gitinsight.models import AuditLog, Organization, User
from gitinsight.services.audit import audit_record
from tests.gitinsight.database.test_audit_partitions import FAR_MONTH, insert_row

pytestmark = pytest.mark.django_db


def test_an_admin_change_leaves_an_audit_row_with_the_client(client, db):
    operator = User.objects.create_superuser(username="ops", password="x-long-password")
    client.force_login(operator)
    response = client.post(
        "/admin/gitinsight/organization/add/",
        {"login": "initech", "name": "Initech", "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"},
        HTTP_USER_AGENT="pytest-browser",
    )
    assert response.status_code == 302
    organization = Organization.objects.get(login="initech")
    row = AuditLog.objects.get(action="admin.add", resource_id=str(organization.pk))
    assert (row.user, row.resource_type, row.ip_address, row.user_agent) == (
        operator, "organization", "127.0.0.1", "pytest-browser"
    )


def test_a_failed_login_is_audited(client, db):
    client.post("/admin/login/", {"username": "mallory", "password": "guess"})
    assert AuditLog.objects.filter(action="auth.login_failed", details__username="mallory").exists()


def test_audit_rows_cannot_be_changed(alice):
    row = audit_record(user=alice, action="test.action", resource_type="thing", resource_id=1)
    row.action = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        row.save()


def test_the_application_role_may_not_change_or_delete_audit_rows_in_sql(alice):
    # (The append-only trigger behind this, which holds even for the owner, is tested with
    # the partitions: test_no_partition_accepts_updates_or_deletes.)
    row = audit_record(user=alice, action="test.action", resource_type="thing", resource_id=1)
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        AuditLog.objects.filter(pk=row.pk).update(action="rewritten")
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        AuditLog.objects.filter(pk=row.pk).delete()


def test_deleting_a_user_keeps_their_audit_rows(alice):
    row = audit_record(user=alice, action="test.action", resource_type="thing", resource_id=1)
    alice.delete()
    row.refresh_from_db()
    assert row.user is None and row.action == "test.action"


def test_superusers_list_and_open_audit_rows_of_any_partition(client, alice):
    client.force_login(User.objects.create_superuser(username="ops", password="x-long-password"))
    recent = audit_record(user=alice, action="test.recent", resource_type="thing", resource_id=1)
    waiting = insert_row(at=FAR_MONTH, user=alice)  # in the default partition
    listing = client.get("/admin/gitinsight/auditlog/")
    assert listing.status_code == 200 and "test.recent" in listing.text
    for row_id in (recent.pk, waiting):
        assert client.get(f"/admin/gitinsight/auditlog/{row_id}/change/").status_code == 200
