"""Value sets shared by several ingestion models. Values follow GitHub's own spelling
where GitHub defines them; file status and channel follow seed 002 (upper case)."""

from django.db import models


class PullRequestState(models.TextChoices):
    OPEN = "open"
    CLOSED = "closed"
    MERGED = "merged"


class FileStatus(models.TextChoices):
    ADDED = "ADDED"
    MODIFIED = "MODIFIED"
    REMOVED = "REMOVED"
    RENAMED = "RENAMED"
    COPIED = "COPIED"
    CHANGED = "CHANGED"
    UNCHANGED = "UNCHANGED"


class FileChannel(models.TextChoices):
    PRODUCTION = "PRODUCTION"
    TESTS = "TESTS"
    DOCS = "DOCS"
    META = "META"


class AnalysisStatus(models.TextChoices):
    """Per pull request and head sha (seed 002)."""

    PENDING = "PENDING"
    RUNNING = "RUNNING"
    DONE = "DONE"
    DEGRADED = "DEGRADED"
    FAILED = "FAILED"
