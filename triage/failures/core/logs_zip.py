"""Read the logs archive GitHub Actions serves for a workflow run into per-job text.

The archive holds, for each job, a folder `<job>/` with one file per step named
`<n>_<step>.txt`, and usually the whole job log as a top-level `<n>_<job>.txt`. Bytes in,
structured logs out: fetching the archive is the ingestion client's job.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from triage.failures.core.logtext import decode_log

MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024  # refuse zip bombs

_NUMBERED = re.compile(r"^(\d+)_(.*)\.txt$")


class LogsArchiveError(Exception):
    """The bytes are not a readable GitHub Actions logs archive."""


@dataclass(frozen=True)
class StepLog:
    number: int
    name: str
    text: str


@dataclass
class JobLog:
    name: str
    steps: list[StepLog] = field(default_factory=list)
    full_text: str | None = None  # the top-level whole-job file, when present

    @property
    def text(self) -> str:
        """The whole job log: the top-level file, or the steps joined in order."""
        if self.full_text is not None:
            return self.full_text
        return "\n".join(step.text.rstrip("\n") for step in self.steps)


def read_logs_zip(data: bytes) -> dict[str, JobLog]:
    """Jobs of a run logs archive by job name, steps sorted by number."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise LogsArchiveError(f"not a zip archive: {error}") from error
    with archive:
        entries = [info for info in archive.infolist() if not info.is_dir() and info.filename.endswith(".txt")]
        total = sum(info.file_size for info in entries)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise LogsArchiveError(f"archive expands to {total} bytes, more than {MAX_UNCOMPRESSED_BYTES}")
        jobs: dict[str, JobLog] = {}
        for info in entries:
            parts = info.filename.split("/")
            text = decode_log(archive.read(info))
            if len(parts) == 1:
                match = _NUMBERED.match(parts[0])
                name = match.group(2) if match else parts[0].removesuffix(".txt")
                jobs.setdefault(name, JobLog(name)).full_text = text
            else:
                job_name = "/".join(parts[:-1])
                match = _NUMBERED.match(parts[-1])
                number, step_name = (int(match.group(1)), match.group(2)) if match else (0, parts[-1][:-4])
                jobs.setdefault(job_name, JobLog(job_name)).steps.append(StepLog(number, step_name, text))
    for job in jobs.values():
        job.steps.sort(key=lambda step: step.number)
    return jobs
