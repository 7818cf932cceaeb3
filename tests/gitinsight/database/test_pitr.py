"""Point-in-time recovery of the embedded server: `restore --to` brings a server back to a
moment between two writes, from a base backup and the WAL archive (a private server of
the test's own, in subprocesses as an operator would run the commands)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gitinsight.database.embedded_db import embedded_server_stop_if_unused
from gitinsight.database.pitr import BaseBackup, RecoveryError, base_backup_for, base_backups, wal_file_name

ROOT = Path(__file__).resolve().parents[3]


def test_a_wal_position_names_its_segment_file():
    assert wal_file_name(1, "0/2000028") == "000000010000000000000002"
    assert wal_file_name(2, "1/FF000000") == "0000000200000001000000FF"


def _backup(folder: Path, name: str, finished: str) -> None:
    (folder / name).mkdir(parents=True)
    info = BaseBackup(path=str(folder / name), started_at=finished, finished_at=finished, timeline=1,
                      start_wal_file="000000010000000000000002")
    (folder / name / "backup.json").write_text(json.dumps(info.__dict__))


def test_recovery_starts_from_the_newest_backup_that_ended_before_the_moment(tmp_path):
    _backup(tmp_path, "base_1", "2026-12-01T00:00:00+00:00")
    _backup(tmp_path, "base_2", "2026-12-02T00:00:00+00:00")
    (tmp_path / "base_3.partial").mkdir()  # unfinished: never used
    assert [Path(b.path).name for b in base_backups(tmp_path)] == ["base_1", "base_2"]
    assert Path(base_backup_for(tmp_path, datetime(2026, 12, 1, 12, tzinfo=UTC)).path).name == "base_1"
    with pytest.raises(RecoveryError, match="No base backup"):
        base_backup_for(tmp_path, datetime(2026, 11, 30, tzinfo=UTC))


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _sql(env: dict, statement: str) -> list:
    """Run one statement as the owner role in a new process; its rows as lists of text."""
    code = (
        "import json, psycopg\n"
        "from django.conf import settings\n"
        "with psycopg.connect(settings.DATABASE_OWNER_URL, autocommit=True) as conn:\n"
        f"    cursor = conn.execute({statement!r})\n"
        "    print(json.dumps([[str(v) for v in row] for row in cursor.fetchall()] if cursor.description else []))\n"
    )
    return json.loads(_manage(env, "shell", "-c", code).strip().splitlines()[-1])


@pytest.mark.heavy
def test_restore_to_a_moment_keeps_what_was_written_before_it_and_nothing_after():
    # Not under pytest's tmp_path: as root, pgserver runs postgres as another user.
    parent = Path(tempfile.mkdtemp(prefix="gitinsight-pitr-"))
    parent.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(EMBEDDED_DB_DIR=str(parent / "postgres"), WAL_ARCHIVE_DIR=str(parent / "wal"),
               BACKUP_DIR=str(parent / "backups"), DJANGO_SETTINGS_MODULE="gitinsight.settings")
    try:
        _sql(env, "CREATE TABLE ledger (entry text PRIMARY KEY, written_at timestamptz DEFAULT clock_timestamp())")
        _sql(env, "INSERT INTO ledger (entry) VALUES ('before the backup')")
        _manage(env, "base_backup")
        _sql(env, "INSERT INTO ledger (entry) VALUES ('after the backup, before T')")
        [[target]] = _sql(env, "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')")
        _sql(env, "INSERT INTO ledger (entry) VALUES ('after T')")

        out = _manage(env, "restore", "--to", f"{target}+00:00", "--yes")

        assert "The database is back at" in out
        assert _sql(env, "SELECT entry FROM ledger ORDER BY written_at") == [
            ["before the backup"], ["after the backup, before T"]
        ]
        kept = [path.name for path in parent.iterdir() if path.name.startswith("postgres.replaced-")]
        assert len(kept) == 1  # what it replaced stays until the operator deletes it
    finally:
        for pgdata in parent.glob("postgres*"):
            embedded_server_stop_if_unused(pgdata)
        shutil.rmtree(parent, ignore_errors=True)
