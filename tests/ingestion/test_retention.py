"""Old check runs (with their analyses and fix attempts) and webhook deliveries are archived
to a compressed file and deleted by age; younger rows, and anything when retention is 0,
stay."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from gitinsight.database.retention import RetentionError
from ingestion.models import CheckRun, WebhookDelivery
from ingestion.services.retention import ingestion_rows_expire
from tests.triage.failures.fixtures import make_check_run, make_repository
from triage.failures.models.root_causes import RootCauseExample
from triage.models import CheckFailureAnalysis, FixAttempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def retention(settings, tmp_path):
    settings.RETENTION_ARCHIVE_DIR = tmp_path / "archive"
    settings.RETENTION_ARCHIVE = True
    settings.WEBHOOK_DELIVERY_RETENTION_DAYS = 0
    settings.CHECK_RUN_RETENTION_DAYS = 0
    return settings


def _aged(queryset, days: int, field: str = "created_at") -> None:
    queryset.update(**{field: timezone.now() - timedelta(days=days)})


def _delivery(delivery_id: str, *, days_old: int) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.create(delivery_id=delivery_id, event="push", payload_sha256="0" * 64)
    _aged(WebhookDelivery.objects.filter(pk=delivery_id), days_old, "received_at")
    return delivery


def _archived(path: str) -> list[dict]:
    with gzip.open(Path(path), "rt") as archive:
        return [json.loads(line) for line in archive]


def test_deliveries_past_retention_are_archived_then_deleted(retention):
    retention.WEBHOOK_DELIVERY_RETENTION_DAYS = 30
    _delivery("old-1", days_old=40)
    _delivery("recent-1", days_old=3)

    done = ingestion_rows_expire()["webhook_deliveries"]

    assert list(WebhookDelivery.objects.values_list("delivery_id", flat=True)) == ["recent-1"]
    assert done["deleted"] == {"ingestion.WebhookDelivery": 1}
    assert [(row["model"], row["pk"]) for row in _archived(done["archive"])] == [("ingestion.webhookdelivery", "old-1")]


def test_a_check_run_goes_with_its_analyses_and_fix_attempts_but_a_confirmed_root_cause_stays(retention, acme):
    retention.CHECK_RUN_RETENTION_DAYS = 60
    repository = make_repository(acme)
    old = make_check_run(repository, sha="a" * 40)
    recent = make_check_run(repository, sha="b" * 40)
    analysis = CheckFailureAnalysis.objects.create(check_run=old, head_sha=old.head_sha, rules_version="test")
    FixAttempt.objects.create(analysis=analysis, strategy="notify_author")
    example = RootCauseExample.objects.create(
        repository=repository, analysis=analysis, start_line=1, end_line=2, text="boom", first="boom", last="boom"
    )
    _aged(CheckRun.objects.filter(pk=old.pk), 90)

    done = ingestion_rows_expire()["check_runs"]

    assert list(CheckRun.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not CheckFailureAnalysis.objects.exists() and not FixAttempt.objects.exists()
    example.refresh_from_db()
    assert example.analysis is None
    archived = {row["model"] for row in _archived(done["archive"])}
    assert {"ingestion.checkrun", "triage.checkfailureanalysis", "triage.fixattempt"} <= archived


def test_without_an_archive_rows_are_only_deleted(retention):
    retention.RETENTION_ARCHIVE = False
    retention.WEBHOOK_DELIVERY_RETENTION_DAYS = 30
    _delivery("old-2", days_old=40)
    assert ingestion_rows_expire()["webhook_deliveries"]["archive"] == ""
    assert not WebhookDelivery.objects.exists()


def test_zero_keeps_everything(retention):
    _delivery("ancient", days_old=4000)
    assert ingestion_rows_expire() == {}
    assert WebhookDelivery.objects.filter(pk="ancient").exists()


def test_a_delivery_retention_shorter_than_githubs_redelivery_window_is_refused(retention):
    retention.WEBHOOK_DELIVERY_RETENTION_DAYS = 2
    with pytest.raises(RetentionError, match="at least 7 days"):
        ingestion_rows_expire()
