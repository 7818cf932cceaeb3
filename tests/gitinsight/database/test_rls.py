"""Row-level security, the second wall: the runtime role (which the tests connect as) sees the
rows of the organizations in its scope and nothing else, even through SQL that scopes nothing."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory
from django_q.tasks import async_task

from analysis.services.stats import repository_stats_refresh
from gitinsight.database.rls import scoped_views, tables_without_policy, tenant_models
from gitinsight.database.tenant_scope import NOBODY, SYSTEM, organizations_scope_for, tenant_scope
from gitinsight.security.middleware import TenantScopeMiddleware
from ingestion.models import PullRequest, Repository
from tests.tenant_fixtures import Tenant, tenant_create

pytestmark = pytest.mark.django_db


def pull_request_titles_raw() -> list[str]:
    """Every pull request, as a raw-SQL path would read them: no scoping at all."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM pull_requests ORDER BY title")
        return [title for (title,) in cursor.fetchall()]


def raw_titles_view(request) -> HttpResponse:
    return JsonResponse({"titles": pull_request_titles_raw()})


@pytest.fixture
def world() -> tuple[Tenant, Tenant]:
    return tenant_create("rlsalpha", number=7), tenant_create("rlsbeta", number=8)


def test_the_tests_connect_as_a_role_that_row_level_security_binds():
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        superuser, bypass = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tableowner = current_user AND schemaname = 'public'")
        (owned,) = cursor.fetchone()
    assert (superuser, bypass, owned) == (False, False, 0)
    assert connection.settings_dict["USER"] == settings.DATABASE_RUNTIME_USER


def test_every_tenant_table_has_row_level_security_and_a_policy():
    with connection.cursor() as cursor:
        assert tables_without_policy(cursor) == []
        # The statistics are a materialized view, which no policy binds: they are read
        # through a view that keeps the rows in scope.
        assert scoped_views(cursor) == ["repository_stats"]
    assert len(tenant_models()) > 50


def test_raw_sql_without_scoping_returns_only_the_callers_rows(world):
    _alpha, beta = world
    with tenant_scope(organizations_scope_for([beta.organization.pk])):
        titles = pull_request_titles_raw()
    assert titles and all("rlsbeta" in title for title in titles)


def test_raw_sql_with_no_scope_returns_nothing(world):
    with tenant_scope(None):
        assert pull_request_titles_raw() == []
    with tenant_scope(NOBODY):
        assert pull_request_titles_raw() == []
        assert Repository.objects.count() == 0


def test_a_policy_reads_the_scope_once_per_statement_not_once_per_row(world):
    _alpha, beta = world
    with tenant_scope(organizations_scope_for([beta.organization.pk])), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT title FROM pull_requests")
        plan = "\n".join(line for (line,) in cursor.fetchall())
    filters = [line for line in plan.splitlines() if "Filter:" in line]
    assert filters and "InitPlan" in plan, plan
    assert not any("current_setting" in line or "gitinsight_scope" in line for line in filters), plan


def statistics_names_raw() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM repository_stats ORDER BY full_name")
        return [name for (name,) in cursor.fetchall()]


def test_repository_statistics_read_raw_hold_only_the_callers_repositories(world):
    alpha, beta = world
    with tenant_scope(SYSTEM):
        repository_stats_refresh()
    with tenant_scope(organizations_scope_for([beta.organization.pk])):
        assert statistics_names_raw() == [beta.repository.full_name]
    with tenant_scope(NOBODY):
        assert statistics_names_raw() == []
    with tenant_scope(SYSTEM):
        assert {alpha.repository.full_name, beta.repository.full_name} <= set(statistics_names_raw())


def test_the_runtime_role_cannot_read_the_statistics_behind_the_view(world):
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM repository_stats_all")


def test_the_system_scope_sees_every_organization(world):
    with tenant_scope(SYSTEM):
        titles = pull_request_titles_raw()
    assert any("rlsalpha" in title for title in titles) and any("rlsbeta" in title for title in titles)


def test_a_tables_policy_follows_its_path_through_several_joins(world):
    alpha, _beta = world
    with tenant_scope(organizations_scope_for([alpha.organization.pk])), connection.cursor() as cursor:
        # check_fix_attempts -> check_failure_analyses -> check_runs -> repositories
        cursor.execute("SELECT count(*) FROM check_fix_attempts")
        (attempts,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM risk_assessments")
        (assessments,) = cursor.fetchone()
    assert (attempts, assessments) == (1, 1)


def test_a_scope_cannot_write_a_row_into_another_organization(world):
    alpha, beta = world
    with (
        tenant_scope(organizations_scope_for([beta.organization.pk])),
        pytest.raises(DatabaseError, match="row-level security"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE pull_requests SET repository_id = %s", [alpha.repository.pk])
    assert PullRequest.objects.get(pk=beta.row(PullRequest).pk).repository_id == beta.repository.pk


def test_an_update_of_another_organizations_rows_changes_nothing(world):
    alpha, beta = world
    with tenant_scope(organizations_scope_for([beta.organization.pk])), connection.cursor() as cursor:
        cursor.execute("UPDATE pull_requests SET title = 'changed'")
        changed = cursor.rowcount
    assert changed == PullRequest.objects.filter(repository__organization=beta.organization).count()
    alpha.row(PullRequest).refresh_from_db()
    assert "rlsalpha" in alpha.row(PullRequest).title


def test_a_request_sees_its_users_organizations_through_raw_sql(world):
    _alpha, beta = world
    request = RequestFactory().get("/raw")
    request.user = beta.user
    titles = json.loads(TenantScopeMiddleware(raw_titles_view)(request).content)["titles"]
    assert titles and all("rlsbeta" in title for title in titles)


def test_an_anonymous_request_sees_no_tenant_rows(world):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/raw")
    request.user = AnonymousUser()
    assert json.loads(TenantScopeMiddleware(raw_titles_view)(request).content) == {"titles": []}


def test_the_scope_is_put_back_after_the_request(world):
    _alpha, beta = world
    request = RequestFactory().get("/raw")
    request.user = beta.user
    TenantScopeMiddleware(raw_titles_view)(request)
    titles = pull_request_titles_raw()  # the test's own (system) scope again
    assert any("rlsalpha" in title for title in titles)


def test_a_job_runs_in_the_scope_of_whoever_enqueued_it(world):
    _alpha, beta = world
    with tenant_scope(organizations_scope_for([beta.organization.pk])):
        task_id = async_task("tests.gitinsight.database.test_rls.pull_request_titles_raw", sync=True)
    from django_q.models import Task

    titles = Task.objects.get(pk=task_id).result
    assert titles and all("rlsbeta" in title for title in titles)


def test_a_job_enqueued_with_no_scope_is_system_work(world):
    from django_q.models import Task

    with tenant_scope(None):
        task_id = async_task("tests.gitinsight.database.test_rls.pull_request_titles_raw", sync=True)
    titles = Task.objects.get(pk=task_id).result
    assert any("rlsalpha" in title for title in titles) and any("rlsbeta" in title for title in titles)
