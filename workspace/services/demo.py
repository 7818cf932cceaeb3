"""`make demo`: bring a git clone in and run every analysis on it as visible jobs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from gitinsight.models import Membership, Organization, User
from ingestion.models import Repository
from ingestion.services.git.ingest import repository_for_clone
from ingestion.services.git.walker import clone_open
from workspace.job_types import job_types
from workspace.models import AnalysisJob
from workspace.services.jobs import job_execute

#: the analyses run after ingestion, in order; a step whose app is not installed is skipped
DEMO_STEPS = ("train", "insights", "triage", "forecast")


@dataclass(frozen=True)
class DemoStep:
    type: str
    status: str
    summary: str


def demo_repository(*, path: str, organization_login: str = "demo") -> Repository:
    """The repository of the clone at `path`, in the demo organization (its members see it)."""
    organization, _ = Organization.objects.get_or_create(login=organization_login,
                                                         defaults={"name": "Demo organization"})
    for user in User.objects.filter(is_superuser=True):
        Membership.objects.get_or_create(organization=organization, user=user,
                                         defaults={"role": Membership.Role.OWNER})
    repository = repository_for_clone(clone=clone_open(path), organization=organization)
    if repository.local_path != path:
        repository.local_path = path
        repository.save(update_fields=["local_path", "updated_at"])
    return repository


def demo_run(*, path: str, report: Callable[[DemoStep], None] = lambda step: None) -> list[DemoStep]:
    """Ingest the clone, then run each analysis as a job in this process (they show in the
    admin's job list with their results). A failing step is reported and the next one runs."""
    repository = demo_repository(path=path)
    steps = []
    for kind in ("ingest_git", *DEMO_STEPS):
        if kind not in job_types():
            continue
        with transaction.atomic():
            job = AnalysisJob.objects.create(repository=repository, type=kind, options={"path": path})
        job = job_execute(job_id=job.pk)
        summary = job.error_message if job.status == AnalysisJob.Status.FAILED else _short(job.result)
        step = DemoStep(type=kind, status=job.status, summary=summary)
        report(step)
        steps.append(step)
    return steps


def _short(result: dict) -> str:
    return ", ".join(f"{key}={value}" for key, value in result.items() if not isinstance(value, dict | list))[:200]
