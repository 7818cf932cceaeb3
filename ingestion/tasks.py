"""django-q2 entry points of ingestion: each loads by id and calls one service; running one
twice does no harm."""

from __future__ import annotations

from django.utils import timezone

from gitinsight.database.tenant_scope import installation_wide, runs_in_organization_of
from ingestion.models import BackfillRun, Repository
from ingestion.services.github_api.backfill import backfill_run
from ingestion.services.polling import repositories_due, repository_claim, repository_poll
from ingestion.services.retention import ingestion_rows_expire
from ingestion.services.state_history import state_history_partitions_maintain
from ingestion.services.webhooks.processing import delivery_payloads_expire, delivery_process


@runs_in_organization_of(BackfillRun)
def backfill_run_task(backfill_id: int) -> str:
    """Run or resume a backfill; a rate-limit pause schedules the resume."""
    backfill = BackfillRun.objects.select_related("repository").get(pk=backfill_id)
    if backfill.status == BackfillRun.Status.COMPLETED:
        return backfill.status
    backfill_run(backfill=backfill)
    if backfill.status == BackfillRun.Status.WAITING and backfill.resume_at:
        _backfill_resume_schedule(backfill=backfill)
    return backfill.status


def _backfill_resume_schedule(*, backfill: BackfillRun) -> None:
    from django_q.models import Schedule

    Schedule.objects.update_or_create(
        name=f"ingestion: resume backfill {backfill.pk}",
        defaults={"func": "ingestion.tasks.backfill_run_task", "args": repr((backfill.pk,)),
                  "schedule_type": Schedule.ONCE, "next_run": backfill.resume_at, "repeats": 1},
    )


@installation_wide("lists the repositories due, every organization's, and enqueues one poll each")
def repositories_poll_task() -> int:
    """The schedule's entry: one poll task per repository due."""
    from django_q.tasks import async_task

    due = list(repositories_due(now=timezone.now()).values_list("pk", flat=True))
    for repository_id in due:
        async_task("ingestion.tasks.repository_poll_task", repository_id)
    return len(due)


@runs_in_organization_of(Repository)
def repository_poll_task(repository_id: int) -> str:
    if not repository_claim(repository_id=repository_id):
        return "not due"
    return repository_poll(repository=Repository.objects.get(pk=repository_id)).status


@installation_wide("a delivery may create the organization, installation and repositories it names")
def delivery_process_task(delivery_id: str) -> str:
    """A stored webhook delivery turned into rows, exactly once."""
    return delivery_process(delivery_id=delivery_id)


@installation_wide("retention, of every organization's deliveries")
def delivery_payloads_expire_task() -> int:
    """The daily schedule: raw payloads past WEBHOOK_PAYLOAD_RETENTION_DAYS are cleared."""
    return delivery_payloads_expire()


@installation_wide("retention, of every organization's rows")
def ingestion_rows_expire_task() -> dict:
    """The daily schedule: check runs and webhook deliveries past their retention are archived and deleted."""
    return ingestion_rows_expire()


@installation_wide("partitions hold every organization's rows")
def state_history_partitions_maintain_task() -> dict:
    """The daily schedule: the coming months' state-history partitions, and expired ones dropped."""
    return state_history_partitions_maintain()
