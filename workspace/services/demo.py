"""`make demo`: GitInsight's own history with the sample pack's generated pull requests,
issues, milestones and check runs, plus (with DEMO_REPO) another clone's history; every
analysis runs as a visible job."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from gitinsight.models import Membership, Organization, User
from ingestion.models import Repository
from ingestion.services.git.ingest import repository_for_clone
from ingestion.services.git.walker import clone_open
from workspace.job_types import job_types
from workspace.models import AnalysisJob
from workspace.services.demo_pack import pack_full_name
from workspace.services.jobs import job_execute

DEMO_ORGANIZATION = "demo"
#: the steps for GitInsight's own clone (with the sample pack) and for any other clone
PACK_STEPS = ("ingest_git", "sample_pack", "train", "insights", "triage", "failed_checks", "forecast")
CLONE_STEPS = ("ingest_git", "train", "insights")
#: steps that bring data in; the analyses after them run again only when these found something new
INTAKE_STEPS = {"ingest_git": ("commits_new",), "sample_pack": ("deliveries_stored",)}


@dataclass(frozen=True)
class DemoStep:
    repository: str
    type: str
    status: str
    summary: str


def demo_organization() -> Organization:
    organization, _ = Organization.objects.get_or_create(login=DEMO_ORGANIZATION,
                                                         defaults={"name": "Demo organization"})
    for user in User.objects.filter(is_superuser=True):
        Membership.objects.get_or_create(organization=organization, user=user,
                                         defaults={"role": Membership.Role.OWNER})
    return organization


def demo_repository(*, path: str, full_name: str | None = None) -> Repository:
    """The repository of the clone at `path`, in the demo organization (its members see it)."""
    repository = repository_for_clone(clone=clone_open(path), full_name=full_name, organization=demo_organization())
    if repository.local_path != path:
        repository.local_path = path
        repository.save(update_fields=["local_path", "updated_at"])
    return repository


def demo_run(*, path: str, report: Callable[[DemoStep], None] = lambda step: None) -> list[DemoStep]:
    """GitInsight's own clone becomes the sample pack's repository; a clone at another `path`
    becomes a repository of its own. Each step runs as a job in this process (they show in the
    admin's job list with their results); a failing step is reported and the next one runs.
    On a second run the analyses are skipped when nothing new came in."""
    own = str(Path(settings.BASE_DIR).resolve())
    plans = [(demo_repository(path=own, full_name=pack_full_name()), own, PACK_STEPS)]
    if str(Path(path).resolve()) != own:
        plans.append((demo_repository(path=path), path, CLONE_STEPS))
    steps = []
    for repository, clone, kinds in plans:
        fresh = False
        for kind in kinds:
            if kind not in job_types():
                continue
            if kind not in INTAKE_STEPS and not fresh and _completed_before(repository, kind):
                step = DemoStep(repository.full_name, kind, "skipped", "up to date: nothing new came in")
            else:
                job = _run(repository, kind, clone)
                if kind in INTAKE_STEPS:
                    fresh = fresh or any(job.result.get(key) for key in INTAKE_STEPS[kind])
                step = DemoStep(repository.full_name, kind, job.status, job_summary(job))
            report(step)
            steps.append(step)
    return steps


def _completed_before(repository: Repository, kind: str) -> bool:
    return AnalysisJob.objects.filter(repository=repository, type=kind, status=AnalysisJob.Status.COMPLETED).exists()


def _run(repository: Repository, kind: str, path: str) -> AnalysisJob:
    with transaction.atomic():
        job = AnalysisJob.objects.create(repository=repository, type=kind, options={"path": path})
    return job_execute(job_id=job.pk)


def job_summary(job: AnalysisJob) -> str:
    """One sentence: the job's own summary, or why it did not complete."""
    if job.status == AnalysisJob.Status.FAILED:
        first = job.error_message.splitlines()[0] if job.error_message else "failed without a message"
        return first.split(": ", 1)[1] if first.split(": ", 1)[0].isidentifier() and ": " in first else first
    return str(job.result.get("summary") or "done")
