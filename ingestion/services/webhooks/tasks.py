"""django-q2 entry points: load by id, call the service."""

from ingestion.services.webhooks.processing import delivery_process


def delivery_process_task(delivery_id: str) -> str:
    return delivery_process(delivery_id=delivery_id)
