"""The application connects as a role that is neither superuser nor owner: it reads and
writes rows, and cannot change the schema, the audit log or its own rights."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from gitinsight.database.owner import as_owner, owner_role
from gitinsight.services.audit import audit_record

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not settings.DATABASE_OWNER or settings.DATABASE_OWNER["USER"] == settings.DATABASE_RUNTIME_USER,
        reason="one role does everything here (no DATABASE_OWNER_URL)",
    ),
]


def _refused(sql: str, match: str = "permission denied|must be owner") -> None:
    with pytest.raises(DatabaseError, match=match), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def _one(sql: str):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def test_the_application_role_is_no_superuser_and_owns_nothing():
    assert _one("SELECT current_user")[0] == settings.DATABASE_RUNTIME_USER != owner_role()
    assert _one("SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = current_user") == (
        False,
    )
    owned = _one(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
    )
    assert owned == (0,)


def test_it_cannot_change_the_schema():
    _refused("CREATE TABLE intruder (id int)")
    _refused("ALTER TABLE repositories ADD COLUMN intruder int")
    _refused("DROP TABLE pr_state_history")
    _refused("TRUNCATE webhook_deliveries")


def test_it_cannot_rewrite_the_audit_log_or_switch_its_trigger_off(alice):
    audit_record(user=alice, action="test.action", resource_type="thing", resource_id=1)
    _refused("UPDATE audit_logs SET action = 'rewritten'")
    _refused("DELETE FROM audit_logs")
    _refused("TRUNCATE audit_logs")
    _refused("ALTER TABLE audit_logs_default DISABLE TRIGGER audit_logs_append_only")
    _refused("SELECT count(*) FROM audit_logs_default")  # partitions only through the parent
    with connection.cursor() as cursor:  # a role that owns nothing grants nothing (a warning, no error)
        cursor.execute(f"GRANT DELETE ON audit_logs TO {settings.DATABASE_RUNTIME_USER}")
    assert _one("SELECT has_table_privilege('audit_logs', 'DELETE')") == (False,)


def test_the_owner_role_is_no_superuser_either():
    with as_owner() as owner, owner.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (owner_role(), False)
