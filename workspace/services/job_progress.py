from __future__ import annotations

import time

from workspace.models import AnalysisJob


class JobCancelled(Exception):
    """Raised inside a running job when a maintainer has cancelled it."""


class JobProgress:
    """Handed to a job's runner: `progress.advance(n)` / `progress.set(done, total)` update
    the job row (at most twice a second) and raise JobCancelled once the job is cancelled."""

    MIN_INTERVAL_S = 0.5

    def __init__(self, job: AnalysisJob) -> None:
        self.job = job
        self.done = 0
        self.total: int | None = None
        self._written_at = 0.0
        self._written_percent = -1

    def start(self, total: int | None, message: str = "") -> None:
        self.total = total
        self.done = 0
        self._write(message, force=True)

    def advance(self, n: int = 1, message: str = "") -> None:
        self.done += n
        self._write(message)

    def set(self, done: int, total: int | None = None, message: str = "") -> None:
        self.done = done
        if total is not None:
            self.total = total
        self._write(message)

    def step(self, percent: int, message: str) -> None:
        """For jobs made of a few stages rather than countable items."""
        self.total = 100
        self.done = percent
        self._write(message, force=True)

    @property
    def percent(self) -> int:
        if not self.total:
            return 0
        return max(0, min(99, int(100 * self.done / self.total)))

    def _write(self, message: str, *, force: bool = False) -> None:
        now = time.monotonic()
        percent = self.percent
        if not force and (now - self._written_at < self.MIN_INTERVAL_S or percent == self._written_percent):
            return
        self._written_at = now
        self._written_percent = percent
        fields = {"progress": percent}
        if message:
            fields["message"] = message[:255]
        AnalysisJob.objects.filter(pk=self.job.pk).update(**fields)
        status = AnalysisJob.objects.filter(pk=self.job.pk).values_list("status", flat=True).first()
        if status == AnalysisJob.Status.CANCELLED:
            raise JobCancelled(f"job {self.job.pk} was cancelled")
