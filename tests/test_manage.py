"""manage.py before `make migrate`: one line that says what to do, not a traceback."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from gitinsight.database.owner import as_owner

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def empty_database(django_db_blocker):
    name = "gitinsight_not_migrated"
    # Only the owner role may create databases; the command then connects as the runtime role.
    with django_db_blocker.unblock(), as_owner() as owner, owner.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    yield urlunsplit(urlsplit(settings.DATABASE_URL)._replace(path=f"/{name}"))
    with django_db_blocker.unblock(), as_owner() as owner, owner.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")


def test_a_command_run_before_migrate_says_to_migrate_in_one_line(empty_database):
    result = subprocess.run([sys.executable, "manage.py", "demo_prepare", "--repo", "."], cwd=ROOT,
                            env={**os.environ, "DATABASE_URL": empty_database}, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["The database has no organizations table yet: run `make migrate` "
                                                  "first."]
