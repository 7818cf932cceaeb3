"""Backups are proved by restoring them: into a fresh database on the same server, and
over a database that has changed since, comparing every table row for row."""

import json
import os
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from gitinsight.database.backups import (
    BackupError,
    backup_check,
    backup_create,
    backup_last,
    backup_restore,
    backup_runs,
    backups_prune,
    database_fingerprint,
)
from gitinsight.database.pg_clients import pg_target_for
from gitinsight.models import AuditLog, Organization
from gitinsight.services.api_keys import api_key_create
from gitinsight.services.audit import audit_record
from gitinsight.tasks import database_backup_daily
from ingestion.models import Commit, Repository, SyncCursor, WebhookDelivery

# Backups and restores are the owner role's work: it owns every table, and only it may
# drop and recreate them (the runtime role cannot even read the audit log's partitions).
pytestmark = pytest.mark.usefixtures("owner_connection")


@pytest.fixture
def backups(settings, tmp_path) -> Path:
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings.BACKUP_DIR


@pytest.fixture
def populated(alice, bob, acme) -> Repository:
    """Committed rows in platform and ingestion tables, audit log included."""
    api_key_create(user=alice, name="ci", permissions=["read"], rate_limit=100)
    audit_record(user=alice, action="repository.connect", resource_type="repository", resource_id=1)
    repository = Repository.objects.create(organization=acme, owner="acme", name="rocket", full_name="acme/rocket")
    Commit.objects.create(repository=repository, sha="a" * 40, message="Launch", author_name="Alice")
    Commit.objects.create(repository=repository, sha="b" * 40, message="Land", author_name="Bob")
    SyncCursor.objects.create(repository=repository, resource="pulls", etag='W/"1"')
    WebhookDelivery.objects.create(delivery_id="d-1", event="push", payload_sha256="0" * 64, repository=repository)
    return repository


@pytest.fixture(scope="module")
def spare_database(django_db_setup) -> Iterator[str]:
    """A second database on the same server, shared by this module's tests (each restore
    replaces all of it, so no test sees another's leftovers)."""
    name = f"{connection.settings_dict['NAME']}_restored"
    with connect(connection.settings_dict["NAME"]) as server:
        drop_database(server, name)
        server.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connect(connection.settings_dict["NAME"]) as server:
        drop_database(server, name)


def drop_database(server: psycopg.Connection, name: str) -> None:
    """Drop a database this module made, waiting out the autovacuum worker a restore's
    fresh rows attract. Not WITH (FORCE): that refuses a role which is not superuser as soon
    as any process it may not signal is connected, and an autovacuum worker is one (seen in
    CI); a plain DROP stops autovacuum workers itself."""
    deadline = time.monotonic() + 30
    while True:
        try:
            server.execute(f'DROP DATABASE IF EXISTS "{name}"')
            return
        except psycopg.errors.ObjectInUse:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)  # a session of ours that is still closing


def connect(dbname: str) -> psycopg.Connection:
    params = connection.get_connection_params()
    keys = ("host", "port", "user", "password")
    return psycopg.connect(dbname=dbname, autocommit=True, **{key: params[key] for key in keys if params.get(key)})


def fingerprint_of(dbname: str) -> dict[str, tuple[int, str]]:
    with connect(dbname) as other, other.cursor() as cursor:
        return database_fingerprint(cursor)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_row_for_row_into_a_spare_database_and_again_over_a_changed_one(
    populated, backups, spare_database
):
    with connection.cursor() as cursor:
        original = database_fingerprint(cursor)
    assert original["audit_logs"][0] >= 2 and original["commits"][0] == 2 and original["api_keys"][0] == 1
    run = backup_create()
    target = pg_target_for(connection, dbname=spare_database)

    backup_restore(path=Path(run.file), target=target)
    assert fingerprint_of(spare_database) == original

    with connect(spare_database) as other:
        other.execute("INSERT INTO organizations (login, name, avatar_url, created_at, updated_at) "
                      "VALUES ('intruder', 'Intruder', '', now(), now())")
        other.execute("UPDATE commits SET message = 'rewritten'")
        other.execute("DELETE FROM sync_cursors")
    backup_restore(path=Path(run.file), target=target)
    assert fingerprint_of(spare_database) == original

    with connect(spare_database) as other, pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        other.execute("DELETE FROM audit_logs")


def test_a_restore_that_breaks_off_halfway_leaves_the_database_as_it_was(db, backups, spare_database):
    run = backup_create()
    target = pg_target_for(connection, dbname=spare_database)
    backup_restore(path=Path(run.file), target=target)
    with connect(spare_database) as other:
        other.execute("INSERT INTO organizations (login, name, avatar_url, created_at, updated_at) "
                      "VALUES ('survivor', '', '', now(), now())")
    before = fingerprint_of(spare_database)
    truncated = backups / "truncated.dump"
    truncated.write_bytes(Path(run.file).read_bytes()[:-200])  # the table of contents survives, data does not

    with pytest.raises(BackupError, match="end of file"):
        backup_restore(path=truncated, target=target)

    assert fingerprint_of(spare_database) == before


@pytest.mark.django_db(transaction=True)
def test_the_restore_command_puts_the_configured_database_back_as_it_was(populated, backups):
    run = backup_create()
    audited = sorted(AuditLog.objects.values_list("action", flat=True))
    Organization.objects.create(login="later", name="Created after the backup")
    audit_record(user=None, action="later", resource_type="test")

    call_command("restore", run.file, "--yes")

    assert not Organization.objects.filter(login="later").exists()
    assert sorted(AuditLog.objects.values_list("action", flat=True)) == audited


def test_a_backup_writes_a_dump_and_a_plain_schema_and_records_the_run(db, backups):
    run = backup_create()

    assert run.status == "ok" and run.size_bytes == Path(run.file).stat().st_size > 0
    assert Path(run.file).name.startswith("gitinsight_") and run.file.endswith(".dump")
    assert "CREATE TABLE public.audit_logs" in Path(run.schema_file).read_text()
    assert oct(Path(run.file).stat().st_mode)[-3:] == "600"
    assert backup_check(path=Path(run.file)) > 10
    assert backup_last() == run
    assert not list(backups.glob("*.partial"))


def test_a_failed_backup_is_recorded_as_an_error(db, backups):
    with pytest.raises(BackupError, match="no_such_database"):
        backup_create(target=pg_target_for(connection, dbname="no_such_database"))

    last = backup_last()
    assert last.status == "error" and "no_such_database" in last.error and not last.file
    assert not list(backups.glob("gitinsight_*"))


def test_retention_deletes_only_this_apps_expired_backups(settings, tmp_path):
    settings.BACKUP_RETENTION_DAYS = 14
    old = time.time() - 15 * 86400
    files = {
        name: tmp_path / name
        for name in [
            "gitinsight_postgres_20200101T000000Z.dump",
            "gitinsight_postgres_20200101T000000Z_schema.sql",
            "gitinsight_postgres_20261101T000000Z.dump",
            "holiday-photos.dump",
            "backups.json",
        ]
    }
    for name, path in files.items():
        path.write_text("x")
        if name != "gitinsight_postgres_20261101T000000Z.dump":
            os.utime(path, (old, old))

    assert backups_prune(directory=tmp_path) == 2

    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "backups.json",
        "gitinsight_postgres_20261101T000000Z.dump",
        "holiday-photos.dump",
    ]


def test_the_daily_task_dumps_once_when_run_twice(db, backups):
    first = database_backup_daily()
    second = database_backup_daily()

    assert first is not None and Path(first["file"]).exists()
    assert second is None
    assert len(list(backups.glob("*.dump"))) == 1
    assert [run.status for run in backup_runs()] == ["ok"]


def test_the_daily_task_dumps_again_a_day_later(db, backups):
    database_backup_daily()
    manifest = backups / "backups.json"
    entries = json.loads(manifest.read_text())
    entries[0]["started_at"] = (timezone.now() - timedelta(days=1)).isoformat()
    manifest.write_text(json.dumps(entries))

    assert database_backup_daily() is not None


def test_the_backup_command_prints_a_summary_and_json(db, backups, capsys):
    call_command("backup", "--out", str(backups / "manual"))

    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("Backup of ")
    summary = json.loads(lines[-1])
    assert summary["status"] == "ok" and Path(summary["file"]).parent == backups / "manual"


def test_the_backup_command_fails_cleanly_when_the_folder_cannot_be_made(db, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")

    with pytest.raises(CommandError, match="cannot be created"):
        call_command("backup", "--out", str(blocker / "backups"))


def test_the_restore_command_rejects_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="No backup file at"):
        call_command("restore", str(tmp_path / "nothing.dump"), "--yes")


def test_the_restore_command_rejects_a_corrupt_file(db, tmp_path):
    corrupt = tmp_path / "corrupt.dump"
    corrupt.write_bytes(b"PGDMP" + os.urandom(200))

    with pytest.raises(CommandError, match=r"corrupt\.dump is not a readable backup archive"):
        call_command("restore", str(corrupt), "--yes")


def test_the_restore_command_changes_nothing_unless_confirmed(db, backups, monkeypatch, alice):
    run = backup_create()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", run.file)
