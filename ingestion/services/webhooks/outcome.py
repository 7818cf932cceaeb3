from __future__ import annotations

from dataclasses import dataclass

from ingestion.models import Repository, WebhookDelivery


@dataclass(frozen=True)
class Outcome:
    status: str
    repository: Repository | None = None
    note: str = ""

    @classmethod
    def processed(cls, repository: Repository | None = None, note: str = "") -> Outcome:
        return cls(WebhookDelivery.Status.PROCESSED, repository, note)

    @classmethod
    def skipped(cls, note: str, repository: Repository | None = None) -> Outcome:
        return cls(WebhookDelivery.Status.SKIPPED, repository, note)
