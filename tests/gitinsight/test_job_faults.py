"""Jobs survive faults: a worker killed in the middle of a job, a database restart under a
running cluster, and failed tasks that wait in the admin for an operator's retry.

The first two start real `manage.py qcluster` processes (tests/worker_harness.py); the
cast is the usual one plus olivia, a platform operator (superuser)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import Failure, OrmQ, Success, Task
from django_q.tasks import async_task

from gitinsight.database.owner import as_owner
from gitinsight.models import AuditLog, User
from ingestion.models import Repository
from tests import fault_tasks
from tests.worker_harness import (
    Clusters,
    SqlBroker,
    database_url_for,
    postgres_restart,
    private_postgres,
    task_run_through_worker,
    wait_until,
)
from workspace import job_types as registry
from workspace.models import AnalysisJob
from workspace.services.jobs import job_enqueue, job_execute


@pytest.fixture
def olivia(db) -> User:
    return User.objects.create_superuser(username="olivia", password="olivia-password", email="ops@example.org")


@pytest.fixture
def repository(acme) -> Repository:
    return Repository.objects.create(organization=acme, owner="acme", name="api", full_name="acme/api")


@pytest.fixture
def fault_job_types(monkeypatch) -> None:
    """The fault job types, on top of the real ones, for this test only."""
    monkeypatch.setattr(registry, "_job_types", dict(registry._job_types))
    fault_tasks.register()


@pytest.fixture
def side_effects(db) -> Iterator:
    """The fault tasks' side-effect table, emptied; returns a reader of its rows. The owner
    role creates it once (the application's role, which tests and clusters use, may not)."""
    with as_owner() as owner, owner.cursor() as cursor:
        cursor.execute(fault_tasks.SIDE_EFFECTS_DDL)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM fault_side_effects")

    def rows() -> list[tuple[str, int]]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT key, writes FROM fault_side_effects ORDER BY key")
            return cursor.fetchall()

    yield rows
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM fault_side_effects")


@pytest.fixture
def clusters(transactional_db, tmp_path) -> Iterator[Clusters]:
    """Real clusters on this run's test database (its rows are committed: transactional_db)."""
    started = Clusters(database_url=database_url_for(connection.settings_dict["NAME"]), log_dir=tmp_path)
    yield started
    started.stop_all()


# --- A worker killed in the middle of a job -------------------------------------------


def test_production_queue_settings_hand_a_dead_workers_task_out_again():
    q_cluster = settings.Q_CLUSTER
    assert q_cluster["retry"] > q_cluster["timeout"] > 0  # a live attempt is never handed out twice
    assert q_cluster["max_attempts"] >= 1
    assert q_cluster["ack_failures"] is True  # a raising task waits in "Failed tasks" instead of looping


def test_a_job_whose_worker_is_killed_mid_run_is_finished_by_another_worker_once(
    clusters, fault_job_types, side_effects, repository, alice, monkeypatch
):
    monkeypatch.setattr(Conf, "SYNC", False)  # queue for the real clusters instead of running here
    first = clusters.start()
    job = job_enqueue(repository=repository, type="fault_slow", options={"seconds": 3}, by=alice)
    wait_until(lambda: AnalysisJob.objects.filter(pk=job.pk, message="started attempt 1").exists(),
               within=30, what="the first worker starts the job", logs=clusters.logs)

    first.kill()
    # The broker hands the task out again `retry` (7 s) after the first worker took it; by
    # then the job's lease (`timeout`, 5 s) has run out and the second worker takes the job.
    clusters.start()

    wait_until(lambda: Task.objects.filter(func="workspace.tasks.job_execute_task").exists(),
               within=30, what="a second worker finishes the task", logs=clusters.logs)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == ("completed", 2, {"attempt": 2})
    assert side_effects() == [(f"job:{job.pk}", 2)]  # both attempts wrote it, one row exists
    runs = Task.objects.filter(func="workspace.tasks.job_execute_task")
    assert [(run.success, run.args) for run in runs] == [(True, (job.pk,))]
    assert not OrmQ.objects.exists()


def test_a_job_left_in_progress_by_a_dead_worker_is_taken_again(fault_job_types, side_effects, repository):
    job = AnalysisJob.objects.create(
        repository=repository, type="fault_slow", options={"seconds": 0}, status="in_progress", attempts=1,
        started_at=timezone.now() - timedelta(seconds=settings.Q_CLUSTER["timeout"] + 1),
    )

    job = job_execute(job_id=job.pk)

    assert (job.status, job.attempts) == ("completed", 2)


def test_a_job_running_on_another_worker_is_left_alone(fault_job_types, side_effects, repository):
    job = AnalysisJob.objects.create(
        repository=repository, type="fault_slow", options={"seconds": 0}, status="in_progress", attempts=1,
        started_at=timezone.now() - timedelta(seconds=5),
    )

    job = job_execute(job_id=job.pk)

    assert (job.status, job.attempts) == ("in_progress", 1)


def test_a_job_whose_worker_keeps_dying_fails_instead_of_killing_another(fault_job_types, side_effects, repository):
    job = AnalysisJob.objects.create(
        repository=repository, type="fault_slow", options={"seconds": 0}, status="in_progress",
        attempts=settings.Q_CLUSTER["max_attempts"], started_at=timezone.now() - timedelta(days=1),
    )

    job = job_execute(job_id=job.pk)

    assert job.status == "failed"
    assert job.error_message.startswith("WorkerLost: the worker running this job stopped 3 times")


# --- The database restarts under a running cluster ------------------------------------

SETUP = """
from django.core.management import call_command
from django.db import connection
from tests.fault_tasks import SIDE_EFFECTS_DDL
call_command("migrate", "django_q", verbosity=0)
call_command("createcachetable")
with connection.cursor() as cursor:
    cursor.execute(SIDE_EFFECTS_DDL)
"""

def query(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.mark.heavy  # a private server, a migrate and a cluster to boot, and django-q's 10 s pusher back-off
def test_the_cluster_survives_a_database_restart_and_finishes_every_task(tmp_path):
    with private_postgres() as server:
        url = server.get_uri()
        clusters = Clusters(database_url=url, log_dir=tmp_path, timeout=6, retry=8)
        broker = SqlBroker(url)

        def enqueue(key: str, seconds: float = 0) -> str:
            return async_task("tests.fault_tasks.record_run", key, seconds, broker=broker, sync=False)

        try:
            clusters.django(SETUP)
            before = [enqueue("a-before"), enqueue("b-across", 3)]
            cluster = clusters.start()
            # "a-before" is saved and acknowledged; "b-across" is taken and sleeping on the worker.
            wait_until(lambda: query(url, "SELECT count(*) FROM django_q_ormq WHERE lock > now()") == [(1,)]
                       and query(url, "SELECT key FROM fault_side_effects") == [("a-before",)],
                       within=60, what="the first task is done", logs=clusters.logs)

            restarted_at = timezone.now()
            postgres_restart(server)
            after = [enqueue("c-after"), enqueue("d-after")]

            wait_until(lambda: query(url, "SELECT count(*) FROM django_q_task") == [(4,)],
                       within=45, what="every task finishes", logs=clusters.logs)
            assert dict(query(url, "SELECT id, success FROM django_q_task")) == dict.fromkeys(before + after, True)
            [(across_stopped,)] = query(url, "SELECT stopped FROM django_q_task WHERE id = %s", (before[1],))
            assert across_stopped > restarted_at
            assert query(url, "SELECT key, writes FROM fault_side_effects ORDER BY key") == [
                ("a-before", 1), ("b-across", 1), ("c-after", 1), ("d-after", 1),
            ]
            assert cluster.is_alive, clusters.logs()
        finally:
            clusters.stop_all()


@pytest.mark.django_db(transaction=True)
def test_a_job_that_loses_its_database_connection_is_queued_again_and_finishes(fault_job_types, repository, alice):
    job = job_enqueue(repository=repository, type="fault_connection_cut", by=alice)  # sync mode: runs now

    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == ("completed", 2, {"attempt": 2})


# --- Failed tasks wait in the admin for an operator's retry ---------------------------


@pytest.fixture
def failed_task(tmp_path) -> Failure:
    flag = tmp_path / "github-down"
    flag.write_text("GitHub is down (502)")
    task_id = task_run_through_worker("tests.fault_tasks.fail_while_flag_exists", str(flag))
    failed = Failure.objects.get(pk=task_id)
    failed.flag = flag
    return failed


def test_a_failed_task_shows_its_error_to_operators(client, olivia, failed_task):
    client.force_login(olivia)

    listing = client.get(reverse("admin:django_q_failure_changelist"))
    detail = client.get(reverse("admin:django_q_failure_change", args=[failed_task.pk]))

    assert listing.status_code == 200
    assert "GitHub is down (502)" in listing.content.decode()
    assert "RuntimeError: GitHub is down (502)" in detail.content.decode()  # the traceback


def test_failed_tasks_are_hidden_from_staff_who_are_not_operators(client, bob, alice, failed_task):
    bob.is_staff = True
    bob.save()
    bob.user_permissions.set(Permission.objects.filter(content_type__app_label="django_q"))
    client.force_login(bob)
    assert client.get(reverse("admin:django_q_failure_changelist")).status_code == 403
    assert "GitHub is down" not in client.get(reverse("admin:index")).content.decode()

    client.force_login(alice)
    assert client.get(reverse("admin:django_q_failure_changelist")).status_code == 302  # to the login page


def test_an_operator_retries_a_failed_task_and_the_retry_is_audited(client, olivia, failed_task):
    failed_task.flag.unlink()  # GitHub is back
    client.force_login(olivia)

    response = client.post(reverse("admin:django_q_failure_changelist"),
                           {"action": "retry_tasks", "_selected_action": [failed_task.pk]})

    assert response.status_code == 302
    assert not Failure.objects.exists()
    retried = Success.objects.get(func="tests.fault_tasks.fail_while_flag_exists")  # sync mode: ran at once
    assert retried.result == "ok"
    audit = AuditLog.objects.get(action="task.retry")
    assert (audit.user, audit.resource_id, audit.details["new_task_id"]) == (olivia, failed_task.pk, retried.pk)
    assert "GitHub is down (502)" in audit.details["error"]


def test_an_operator_deleting_a_failed_task_is_audited(client, olivia, failed_task):
    client.force_login(olivia)

    client.post(reverse("admin:django_q_failure_changelist"),
                {"action": "delete_selected", "_selected_action": [failed_task.pk], "post": "yes"})

    assert not Failure.objects.exists()
    assert AuditLog.objects.filter(action="task.delete", user=olivia, resource_id=failed_task.pk).exists()


def test_an_operator_deleting_a_queued_task_is_audited(client, olivia):
    async_task("tests.fault_tasks.record_run", "never-run", sync=False)  # no cluster here: it stays queued
    queued = OrmQ.objects.get()
    client.force_login(olivia)

    client.post(reverse("admin:django_q_ormq_changelist"),
                {"action": "delete_selected", "_selected_action": [queued.pk], "post": "yes"})

    assert not OrmQ.objects.exists()
    audit = AuditLog.objects.get(action="queue.delete", user=olivia)
    assert (audit.resource_id, audit.details["func"]) == (queued.task_id(), "tests.fault_tasks.record_run")


def test_a_failed_analysis_job_shows_its_error_and_is_retried_from_the_admin(
    client, fault_job_types, side_effects, repository, olivia, django_capture_on_commit_callbacks
):
    job = AnalysisJob.objects.create(
        repository=repository, type="fault_slow", options={"seconds": 0}, status="failed", attempts=1,
        error_message="RuntimeError: GitHub is down (502)",
    )
    client.force_login(olivia)

    listing = client.get(reverse("admin:workspace_analysisjob_changelist")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:workspace_analysisjob_changelist"),
                    {"action": "retry_jobs", "_selected_action": [job.pk]})

    assert "RuntimeError: GitHub is down (502)" in listing
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error_message) == ("completed", 2, "")
    assert AuditLog.objects.filter(action="job.retry", user=olivia, resource_id=str(job.pk)).exists()
