"""With DATABASE_URL unset, settings start the embedded PostgreSQL (pgserver) by themselves."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import psycopg
from pathlib import Path
from gitinsight.database.embedded_db import embedded_database_url
url = embedded_database_url(Path({data_dir!r}))
with psycopg.connect(url, autocommit=True) as conn:
    conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
    query = "SELECT split_part(version(), ' ', 2), extversion FROM pg_extension WHERE extname='vector'"
    print(conn.execute(query).fetchone())
"""


def run_python(code: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_it_starts_postgres_with_pgvector_in_a_fresh_folder(tmp_path):
    data_dir = tmp_path / "pg"
    result = run_python(PROBE.format(data_dir=str(data_dir)))
    assert result.returncode == 0, result.stderr
    postgres_version, vector_version = eval(result.stdout.strip())  # noqa: S307 - our own printed tuple
    assert postgres_version.startswith("18")
    assert vector_version.startswith("0.8")
    assert (data_dir / "PG_VERSION").exists()


def test_manage_py_runs_against_the_embedded_server_without_database_url():
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from django.db import connection; print(connection.vendor)"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "postgresql"


def test_a_database_that_cannot_start_gives_one_readable_message(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder's parent should be")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["EMBEDDED_DB_DIR"] = str(blocker / "postgres")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert result.stderr.startswith("GitInsight: The embedded PostgreSQL")
    assert "Traceback" not in result.stderr


SHARED_BUFFERS_PROBE = """
import psycopg
from pathlib import Path
from gitinsight.database.embedded_db import embedded_database_url, embedded_server_configure
data_dir = Path({data_dir!r})
url = embedded_database_url(data_dir)
started = []
for size in ("160MB", "160MB"):
    embedded_server_configure(data_dir, shared_buffers=size, archive_dir=None, timeout_s=60)
    with psycopg.connect(url, autocommit=True) as conn:
        started.append(conn.execute("SELECT pg_postmaster_start_time()").fetchone()[0])
        shown = conn.execute("SHOW shared_buffers").fetchone()[0]
print(shown, started[0] == started[1])
"""


def test_the_embedded_server_gets_the_shared_buffers_asked_for_restarting_only_when_they_change(tmp_path):
    result = run_python(SHARED_BUFFERS_PROBE.format(data_dir=str(tmp_path / "pg")))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["160MB", "True"]


def test_shared_buffers_it_cannot_give_are_one_readable_message():
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["EMBEDDED_DB_SHARED_BUFFERS"] = "plenty"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert "shared buffers of 'plenty'" in result.stderr and "Traceback" not in result.stderr
