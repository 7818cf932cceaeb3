"""The benchmark's own database on the configured PostgreSQL server, so that 100,000
synthetic commits never land in the data people use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from gitinsight.database.embedded_db import embedded_database_adopt_named
from gitinsight.database.owner import as_owner


class BenchDatabaseError(RuntimeError):
    """The benchmark database name is unusable."""


def database_url_for(name: str) -> str:
    """DATABASE_URL of database `name` on the server the settings point at."""
    return urlsplit(settings.DATABASE_URL)._replace(path=f"/{name}").geturl()


def _database_create_if_missing(name: str) -> bool:
    """As the owner role (the runtime role may not create databases); an embedded
    server's database made before the roles were split is handed to the owner."""
    with as_owner() as owner, owner.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone():
            if settings.EMBEDDED_DB:
                embedded_database_adopt_named(settings.DATABASE_URL, name)
            return False
        # CREATE DATABASE takes no parameters; the name was checked to be an identifier.
        cursor.execute(f'CREATE DATABASE "{name}"')
    return True


@contextmanager
def bench_database(name: str) -> Iterator[str]:
    """Point the default connection at database `name` (created and migrated when needed,
    as Django's test runner does for test databases), yield its DATABASE_URL, and point
    it back afterwards. When `name` is the current database (a test's), it is used as is."""
    if not name.replace("_", "").isalnum():
        raise BenchDatabaseError(f"--database must be letters, digits and underscores; got {name!r}")
    settings_dict = connection.settings_dict
    original = settings_dict["NAME"]
    if name != original:
        _database_create_if_missing(name)
        connection.close()
        settings_dict["NAME"] = name
    try:
        if name != original:
            call_command("migrate", interactive=False, verbosity=0)
        yield database_url_for(name)
    finally:
        if name != original:
            connection.close()
            settings_dict["NAME"] = original
