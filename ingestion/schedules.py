from django.conf import settings

from gitinsight.schedules import DeclaredSchedule

SCHEDULES = [
    DeclaredSchedule(
        name="ingestion: poll repositories due",
        func="ingestion.tasks.repositories_poll_task",
        schedule_type="I",  # every `minutes`
        minutes=settings.GITHUB_POLL_INTERVAL_MINUTES,
    ),
    DeclaredSchedule(
        name="ingestion: clear webhook payloads past retention",
        func="ingestion.services.webhooks.processing.delivery_payloads_expire",
        schedule_type="D",
    ),
]
