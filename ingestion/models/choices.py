"""Value sets shared by several ingestion models. Values follow GitHub's own spelling
where GitHub defines them; file status and channel are GitInsight's own (upper case)."""

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
    """Where an analysis stands, in one spelling for every table that has one: a repository,
    a pull request head (its triage run), a check run's failure analysis. DEGRADED: done
    without some of its inputs (e.g. no embeddings)."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    DEGRADED = "degraded"
    FAILED = "failed"
