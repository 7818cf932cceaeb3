"""Jobs run in the narrowest tenant scope (gitinsight/database/tenant_scope.py): a task about one
repository, pull request, check run or milestone runs in the scope of that row's organization
alone, even when the system enqueued it (a webhook's processing, a schedule's fan-out), so raw
SQL inside it sees and writes only that organization's rows. Work for the whole installation
still sees every organization. Tests run django-q2 synchronously (settings_test), which goes
through the same enqueue and execute signals as a worker; the worker's own path is taken too."""

from __future__ import annotations

import inspect
from importlib import import_module
from pathlib import Path

import pytest
from django.db import connection
from django_q.models import Task
from django_q.signals import pre_enqueue
from django_q.tasks import async_task

from gitinsight.database.tenant_scope import (
    current_scope,
    installation_wide,
    job_scope_capture,
    organizations_scope_for,
    runs_in_organization_of,
    system_scope,
    tenant_scope,
)
from gitinsight.models import Membership
from ingestion.models import Milestone, PullRequest, Repository
from sprints.models import ForecastResult
from tests.tenant_fixtures import Tenant, tenant_create
from tests.worker_harness import task_run_through_worker

pytestmark = pytest.mark.django_db

HERE = "tests.gitinsight.database.test_job_scopes"
ROOT = Path(__file__).resolve().parents[3]


def pull_request_titles_raw() -> list[str]:
    """Every pull request, as a raw-SQL path would read them: no scoping at all."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM pull_requests ORDER BY title")
        return [title for (title,) in cursor.fetchall()]


@runs_in_organization_of(Repository)
def repository_job_titles(repository_id: int) -> list[str]:
    return pull_request_titles_raw()


@runs_in_organization_of(Repository)
def repository_job_renames_every_pull_request(repository_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE pull_requests SET title = title || ' (renamed)'")
        return cursor.rowcount


@installation_wide("lists every organization's repositories and enqueues one job each")
def every_repository_job_enqueue() -> dict[int, str]:
    return {pk: async_task(f"{HERE}.repository_job_titles", pk)
            for pk in Repository.objects.order_by("pk").values_list("pk", flat=True)}


@installation_wide("reads every organization's pull requests, as retention would")
def installation_job_titles() -> list[str]:
    return pull_request_titles_raw()


def result(task_id: str):
    return Task.objects.get(pk=task_id).result


@pytest.fixture
def world() -> tuple[Tenant, Tenant]:
    return tenant_create("jobalpha", number=11), tenant_create("jobbeta", number=12)


def only(marker: str, titles: list[str]) -> bool:
    return bool(titles) and all(marker in title for title in titles)


def test_a_job_about_a_repository_enqueued_by_the_system_sees_only_its_organizations_rows(world):
    alpha, _beta = world
    with system_scope():  # as a webhook's processing enqueues
        task_id = async_task(f"{HERE}.repository_job_titles", alpha.repository.pk)
    assert only("jobalpha", result(task_id))


def test_the_same_holds_through_django_qs_own_worker(world):
    _alpha, beta = world
    with system_scope():
        task_id = task_run_through_worker(f"{HERE}.repository_job_titles", beta.repository.pk)
    assert only("jobbeta", result(task_id))


def test_a_job_about_a_repository_cannot_write_another_organizations_rows(world):
    alpha, _beta = world
    with system_scope():
        task_id = async_task(f"{HERE}.repository_job_renames_every_pull_request", alpha.repository.pk)
    titles = pull_request_titles_raw()  # the test's own system scope
    renamed = [title for title in titles if title.endswith("(renamed)")]
    assert result(task_id) == len(renamed) > 0
    assert only("jobalpha", renamed) and any("jobbeta" in title for title in titles)


def test_a_users_job_is_narrowed_to_the_repositorys_organization(world):
    alpha, beta = world
    Membership.objects.create(organization=beta.organization, user=alpha.user, role=Membership.Role.MEMBER)
    with tenant_scope(organizations_scope_for([alpha.organization.pk, beta.organization.pk])):
        task_id = async_task(f"{HERE}.repository_job_titles", alpha.repository.pk)
    assert only("jobalpha", result(task_id))


def test_a_job_cannot_reach_a_repository_its_enqueuer_cannot_see(world):
    alpha, beta = world
    with tenant_scope(organizations_scope_for([beta.organization.pk])):
        task_id = async_task(f"{HERE}.repository_job_titles", alpha.repository.pk)
    assert result(task_id) == []


def test_a_job_whose_repository_is_gone_sees_no_rows(world):
    with system_scope():
        task_id = async_task(f"{HERE}.repository_job_titles", 987654321)
    assert result(task_id) == []


@pytest.fixture
def enqueued_before_scopes_were_recorded():
    """Tasks queued by a version that recorded no scope: the capture is not connected."""
    pre_enqueue.disconnect(dispatch_uid="gitinsight_tenant_scope_enqueue")
    yield
    pre_enqueue.connect(job_scope_capture, dispatch_uid="gitinsight_tenant_scope_enqueue")


def test_a_job_queued_before_scopes_were_recorded_runs_in_its_organizations_scope(
        world, enqueued_before_scopes_were_recorded):
    alpha, _beta = world
    with tenant_scope(None):
        task_id = task_run_through_worker(f"{HERE}.repository_job_titles", alpha.repository.pk)
    assert only("jobalpha", result(task_id))


def test_a_system_fan_out_gives_each_child_its_organizations_scope(world):
    alpha, beta = world
    with tenant_scope(None):  # as the scheduler enqueues
        children = result(async_task(f"{HERE}.every_repository_job_enqueue"))
    assert only("jobalpha", result(children[alpha.repository.pk]))
    assert only("jobbeta", result(children[beta.repository.pk]))


def test_an_installation_wide_job_still_sees_every_organization(world):
    with tenant_scope(None):
        titles = result(async_task(f"{HERE}.installation_job_titles"))
    assert any("jobalpha" in title for title in titles) and any("jobbeta" in title for title in titles)


def test_the_daily_forecasts_refresh_every_organizations_milestones_each_in_its_own_scope(world):
    milestones = {tenant.row(Milestone).pk for tenant in world}
    Milestone.objects.exclude(pk__in=milestones).update(state="closed")
    before = set(ForecastResult.objects.values_list("pk", flat=True))
    with tenant_scope(None):
        assert result(async_task("sprints.tasks.forecasts_refresh_daily")) == 2
    new = ForecastResult.objects.exclude(pk__in=before)
    assert set(new.values_list("milestone_id", flat=True)) == milestones
    assert current_scope().system  # the test's own scope is back


def test_a_real_task_about_a_milestone_enqueued_by_the_system_does_its_work_in_its_organization(world):
    alpha, _beta = world
    milestone = alpha.row(Milestone)
    with system_scope():  # as ingesting a webhook that changed the milestone enqueues it
        forecast_id = result(async_task("sprints.tasks.milestone_forecast_refresh_task", milestone.pk))
    assert ForecastResult.objects.get(pk=forecast_id).milestone == milestone


def test_a_task_called_from_another_task_is_narrowed_too(world):
    alpha, _beta = world
    with system_scope():
        assert only("jobalpha", repository_job_titles(alpha.repository.pk))
        assert any("jobbeta" in title for title in pull_request_titles_raw())


def test_a_task_about_a_pull_request_runs_in_the_scope_of_its_repositorys_organization(world):
    alpha, _beta = world
    pull_request = alpha.row(PullRequest)
    seen = []

    @runs_in_organization_of(PullRequest)
    def spy(pull_request_id: int) -> None:
        seen.append(current_scope())

    with system_scope():
        spy(pull_request.pk)
    assert seen == [organizations_scope_for([alpha.organization.pk])]


def _task_modules() -> list[str]:
    names = []
    for app in ("gitinsight", "ingestion", "workspace", "analysis", "triage", "sprints"):
        for path in sorted((ROOT / app).rglob("tasks.py")):
            names.append(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return names


def test_every_task_says_in_which_scope_it_runs():
    """A new task chooses: about one row (narrowed to its organization) or the installation's."""
    undeclared = []
    for name in _task_modules():
        module = import_module(name)
        for attribute, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != name or attribute.startswith("_"):
                continue
            if not (hasattr(function, "tenant_subject") or hasattr(function, "tenant_system_reason")):
                undeclared.append(f"{name}.{attribute}")
    assert len(_task_modules()) >= 8
    assert undeclared == []
