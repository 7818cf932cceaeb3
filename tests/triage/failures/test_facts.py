"""The facts around a failed check run come from its own repository only: a check run of
organization B that carries the GitHub id of organization A's Actions job never reads A's job."""

import pytest

from ingestion.models import CheckRun, WorkflowJob
from tests.tenant_fixtures import tenant_create
from triage.failures.selectors.facts import job_for, other_attempts

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return tenant_create("zqxalpha", number=7), tenant_create("zqxbravo", number=11)


def test_a_check_run_finds_the_job_of_its_own_repository(world):
    a, _ = world
    job = a.row(WorkflowJob)
    check_run = CheckRun.objects.create(repository=a.repository, github_id=job.github_id, name=job.name,
                                        head_sha=job.head_sha, status="completed", conclusion="failure")

    assert job_for(check_run) == job


def test_bs_check_run_with_the_id_of_as_job_finds_no_job(world):
    a, b = world
    job = a.row(WorkflowJob)
    check_run = CheckRun.objects.create(repository=b.repository, github_id=job.github_id, name=job.name,
                                        head_sha=job.head_sha, status="completed", conclusion="failure")

    assert job_for(check_run) is None


def test_other_attempts_never_count_another_repositorys_jobs(world):
    a, b = world
    a_job = a.row(WorkflowJob)
    WorkflowJob.objects.filter(pk=a_job.pk).update(run_attempt=5)
    failed = CheckRun.objects.create(repository=b.repository, github_id=11_000_601, name="tests",
                                     head_sha="b" * 40, status="completed", conclusion="failure")
    CheckRun.objects.create(repository=b.repository, github_id=a_job.github_id + 1_000, name="tests",
                            head_sha="b" * 40, status="completed", conclusion="success")
    WorkflowJob.objects.filter(pk=a_job.pk).update(github_id=a_job.github_id + 1_000)

    assert [attempt.attempt for attempt in other_attempts(failed)] == [0]
