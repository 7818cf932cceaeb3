"""Job types and the functions that run them. Every app registers its own in its
AppConfig.ready(): workspace runs the jobs but cannot import the apps above it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workspace.models import AnalysisJob
    from workspace.services.job_progress import JobProgress

JobRunner = Callable[["AnalysisJob", "JobProgress"], dict[str, Any]]


@dataclass(frozen=True)
class JobType:
    name: str
    label: str
    run: JobRunner


_job_types: dict[str, JobType] = {}


class UnknownJobType(LookupError):
    pass


def job_type_register(name: str, label: str, run: JobRunner) -> None:
    _job_types[name] = JobType(name=name, label=label, run=run)


def job_type(name: str) -> JobType:
    try:
        return _job_types[name]
    except KeyError:
        raise UnknownJobType(f"No job type {name!r}; known: {', '.join(sorted(_job_types)) or 'none'}") from None


def job_types() -> dict[str, JobType]:
    return dict(_job_types)
