import pytest

from gitinsight.models import AuditLog
from ingestion.models import Commit, Repository
from workspace import job_types as registry
from workspace.job_types import job_type_register
from workspace.models import AnalysisJob
from workspace.services.jobs import JobNotRetryable, job_cancel, job_enqueue, job_retry

pytestmark = pytest.mark.django_db


@pytest.fixture
def repository(acme) -> Repository:
    return Repository.objects.create(organization=acme, owner="acme", name="api", full_name="acme/api")


@pytest.fixture
def on_worker(django_capture_on_commit_callbacks):
    """Jobs are handed to the worker when the transaction commits; here the worker runs
    synchronously (Q_CLUSTER sync) as soon as the call returns."""

    def call(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return call


@pytest.fixture
def job_types(monkeypatch):
    """Test job types, on top of the real ones."""
    monkeypatch.setattr(registry, "_job_types", dict(registry._job_types))


def counting_job(job, progress):
    progress.start(4, "counting")
    for _ in range(4):
        progress.advance(1)
    return {"counted": progress.done}


def test_a_job_runs_on_the_worker_and_reports_its_result(job_types, repository, alice, on_worker):
    job_type_register("count", "Count to four", counting_job)
    job = on_worker(job_enqueue, repository=repository, type="count", by=alice)
    job.refresh_from_db()
    assert (job.status, job.progress, job.result, job.attempts) == ("completed", 100, {"counted": 4}, 1)
    assert job.started_at <= job.completed_at
    assert AuditLog.objects.filter(action="job.start", resource_id=str(job.pk), user=alice).exists()


def test_a_failed_job_shows_its_error_and_can_be_retried(job_types, repository, alice, on_worker):
    outcomes = iter([RuntimeError("GitHub is down"), None])

    def flaky(job, progress):
        error = next(outcomes)
        if error:
            raise error
        return {"ok": True}

    job_type_register("flaky", "Flaky", flaky)
    job = on_worker(job_enqueue, repository=repository, type="flaky", by=alice)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error_message == "RuntimeError: GitHub is down"

    on_worker(job_retry, job=job, by=alice)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error_message) == ("completed", 2, "")


def test_a_cancelled_job_stops_at_its_next_progress_report(job_types, repository, alice, on_worker):
    def cancels_itself(job, progress):
        progress.start(10)
        job_cancel(job=job, by=alice)
        progress.step(50, "still going?")
        return {"finished": True}

    job_type_register("long", "Long", cancels_itself)
    job = on_worker(job_enqueue, repository=repository, type="long", by=alice)
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert job.result == {}


def test_only_failed_or_cancelled_jobs_can_be_retried(job_types, repository, alice, on_worker):
    job_type_register("count", "Count", counting_job)
    job = on_worker(job_enqueue, repository=repository, type="count", by=alice)
    with pytest.raises(JobNotRetryable):
        job_retry(job=job, by=alice)


def test_an_unknown_job_type_is_refused_before_anything_is_queued(repository, alice, on_worker):
    with pytest.raises(registry.UnknownJobType):
        on_worker(job_enqueue, repository=repository, type="nope", by=alice)
    assert not AnalysisJob.objects.exists()


def test_the_ingest_git_job_reads_a_real_clone(acme, history, alice, on_worker):
    repo, _ = history
    repository = Repository.objects.create(
        organization=acme, owner="acme", name="demo", full_name="acme/demo", local_path=str(repo.path)
    )
    job = on_worker(job_enqueue, repository=repository, type="ingest_git", by=alice)
    job.refresh_from_db()
    assert job.status == "completed", job.error_message
    assert job.result["commits_new"] == Commit.objects.filter(repository=repository).count() > 0


def test_the_admin_starts_a_job_and_serves_its_progress(job_types, client, repository, alice, on_worker):
    job_type_register("count", "Count to four", counting_job)
    alice.is_superuser = alice.is_staff = True
    alice.save()
    client.force_login(alice)
    response = on_worker(
        client.post, path="/admin/workspace/analysisjob/add/",
        data={"repository": repository.pk, "type": "count", "options": "{}"},
    )
    assert response.status_code == 302
    job = AnalysisJob.objects.get()
    progress = client.get(f"/admin/workspace/analysisjob/{job.pk}/progress/").json()
    assert progress == {"id": job.pk, "status": "completed", "progress": 100, "message": "done", "error": "",
                        "finished": True}


def test_another_organization_cannot_see_a_job(job_types, client, repository, alice, charlie, globex, on_worker):
    from gitinsight.services.maintainers import maintainer_update_from_github

    job_type_register("count", "Count", counting_job)
    job = on_worker(job_enqueue, repository=repository, type="count", by=alice)
    maintainer_update_from_github(user=charlie, profile={"id": 3})
    client.force_login(charlie)
    assert client.get(f"/admin/workspace/analysisjob/{job.pk}/progress/").status_code == 404
    assert b"acme/api" not in client.get("/admin/workspace/analysisjob/").content
