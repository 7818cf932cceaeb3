"""A scope for one transaction ends with it: its commit or rollback puts back the connection's
own settings, so leaving it costs no statement, and nothing of it outlives the transaction."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from gitinsight.database.tenant_scope import current_scope, organizations_scope_for, tenant_scope, transaction_in_scope
from tests.tenant_fixtures import tenant_create


def titles() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM pull_requests")
        return [title for (title,) in cursor.fetchall()]


def settings_now() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('gitinsight.organizations'), current_setting('gitinsight.system')")
        return cursor.fetchone()


@pytest.mark.django_db(transaction=True)
def test_a_transactions_scope_ends_with_its_commit_and_leaving_writes_nothing():
    beta = tenant_create("txbeta", number=3)
    with tenant_scope(None):
        with (
            CaptureQueriesContext(connection) as captured,
            transaction_in_scope(organizations_scope_for([beta.organization.pk])),
        ):
            inside = titles()
        assert inside and all("txbeta" in title for title in inside)
        assert len([q for q in captured if "set_config" in q["sql"]]) == 1
        assert titles() == []
        assert settings_now() == ("", "off")


@pytest.mark.django_db(transaction=True)
def test_a_transactions_scope_ends_with_its_rollback():
    beta = tenant_create("txrollback", number=4)
    with tenant_scope(None):
        with pytest.raises(RuntimeError), transaction_in_scope(organizations_scope_for([beta.organization.pk])):
            assert titles()
            raise RuntimeError("the work failed")
        assert titles() == []
        assert current_scope() is None


@pytest.mark.django_db(transaction=True)
def test_work_after_the_commit_runs_in_the_enclosing_scope():
    beta = tenant_create("txoncommit", number=5)
    seen = []
    with tenant_scope(None), transaction_in_scope(organizations_scope_for([beta.organization.pk])):
        transaction.on_commit(lambda: seen.append((current_scope(), titles())))
    assert seen == [(None, [])]


@pytest.mark.django_db
def test_inside_another_transaction_the_scope_ends_with_its_block():
    beta = tenant_create("txnested", number=6)
    with tenant_scope(None), transaction.atomic():
        with transaction_in_scope(organizations_scope_for([beta.organization.pk])):
            assert titles()
        assert titles() == []


@pytest.mark.django_db
def test_inside_another_transaction_a_failed_block_leaves_the_connection_usable():
    from django.db import DatabaseError

    with tenant_scope(None), transaction.atomic():
        with (
            pytest.raises(DatabaseError),
            transaction_in_scope(organizations_scope_for([1])),
            connection.cursor() as cursor,
        ):
            cursor.execute("SELECT 1 / 0")
        assert titles() == []
