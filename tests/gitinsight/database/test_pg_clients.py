import subprocess

import pytest
from django.db import connection

from gitinsight.database.pg_clients import PgClientNotFound, libpq_env, pg_client_for, pg_target_for


def test_the_client_of_the_servers_major_version_is_chosen(db):
    target = pg_target_for(connection)

    client = pg_client_for(target.server_major)

    assert client.major == target.server_major
    version = subprocess.run([client.program("pg_restore"), "--version"], capture_output=True, text=True).stdout
    assert f" {target.server_major}." in version


def test_an_older_server_gets_a_newer_client():
    assert pg_client_for(14).major > 14


def test_a_server_without_a_usable_client_gets_a_message_naming_what_to_install():
    with pytest.raises(PgClientNotFound, match="postgresql-client-99"):
        pg_client_for(99)


def test_the_password_travels_in_the_environment_and_other_options_are_ignored():
    params = {"dbname": "gi", "host": "db.internal", "port": 5433, "user": "gi", "password": "s3cret",
              "sslmode": "require", "cursor_factory": object, "client_encoding": "UTF8"}

    assert libpq_env(params) == {
        "PGDATABASE": "gi", "PGHOST": "db.internal", "PGPORT": "5433", "PGUSER": "gi", "PGPASSWORD": "s3cret",
        "PGSSLMODE": "require",
    }


def test_a_target_can_name_another_database_on_the_same_server(db):
    other = pg_target_for(connection, dbname="elsewhere")

    assert other.dbname == "elsewhere" and other.env["PGDATABASE"] == "elsewhere"
    assert "s3cret" not in repr(other) and "env" not in repr(other)
