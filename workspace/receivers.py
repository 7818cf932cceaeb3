"""React to what ingestion stored (connected in apps.py)."""

from __future__ import annotations

from typing import Any

from workspace.services.jobs import backfills_start


def on_repositories_installed(sender: Any, *, repository_ids: list[int], **kwargs: Any) -> None:
    """Repositories an App installation now covers are backfilled, each as a job with progress."""
    backfills_start(repository_ids=list(repository_ids))
