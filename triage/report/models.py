from ingestion.models import PullRequest


class TriageQueueItem(PullRequest):
    """Open pull requests as the admin's triage queue (a proxy: no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = "triage queue item"
        verbose_name_plural = "triage queue"
