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
        func="ingestion.tasks.delivery_payloads_expire_task",
        schedule_type="D",
    ),
    DeclaredSchedule(
        name="ingestion: archive and delete check runs and webhook deliveries past retention",
        func="ingestion.tasks.ingestion_rows_expire_task",
        schedule_type="D",
    ),
    DeclaredSchedule(
        name="ingestion: maintain pull request state history partitions",
        func="ingestion.tasks.state_history_partitions_maintain_task",
        schedule_type="D",
    ),
]
