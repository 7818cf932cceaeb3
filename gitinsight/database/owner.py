"""Running a piece of work as the schema's owner role while the process is connected as
the runtime role (see gitinsight/database/roles.py and DATABASE_OWNER_URL).

`as_owner()` puts a separate connection, with the owner's credentials and on the same
database as `default`, in place of `default` for this thread while the block runs:
code written against `django.db.connection` (migrations, Django's own commands, partition
upkeep) then runs as the owner unchanged. Without an owner role configured, or when it is
the runtime role itself, the block runs on the ordinary connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper


def owner_role() -> str | None:
    """The owner role when it differs from the runtime role, else None (one role does all)."""
    owner = settings.DATABASE_OWNER.get("USER") if settings.DATABASE_OWNER else None
    return owner if owner and owner != settings.DATABASE_RUNTIME_USER else None


def roles_split() -> bool:
    return owner_role() is not None


def owner_settings(alias: str = DEFAULT_DB_ALIAS) -> dict | None:
    """The settings of `alias` (its database, the test database in tests) with the owner's
    credentials, or None when there is no separate owner role."""
    current = connections[alias].settings_dict
    owner = settings.DATABASE_OWNER
    if not roles_split() or current["USER"] == owner["USER"]:
        return None
    return {
        **current,
        "USER": owner["USER"],
        "PASSWORD": owner.get("PASSWORD", ""),
        "HOST": owner.get("HOST", current["HOST"]),
        "PORT": owner.get("PORT", current["PORT"]),
        "OPTIONS": {**current.get("OPTIONS", {}), **owner.get("OPTIONS", {})},
        "CONN_MAX_AGE": 0,
    }


@contextmanager
def as_owner(alias: str = DEFAULT_DB_ALIAS) -> Iterator[BaseDatabaseWrapper]:
    """Run the block with `connections[alias]` (and so `django.db.connection`) connected as
    the owner role; yields that connection. The owner's session is closed afterwards."""
    owner = owner_settings(alias)
    if owner is None:
        yield connections[alias]
        return
    runtime = connections[alias]
    wrapper = type(runtime)(owner, alias)
    connections[alias] = wrapper
    try:
        yield wrapper
    finally:
        connections[alias] = runtime
        wrapper.close()


def grants_after_migrate(sender=None, using: str = DEFAULT_DB_ALIAS, plan=None, **kwargs) -> None:
    """post_migrate: the runtime role's rights on every table, the new ones included.
    (flush sends post_migrate too, without a plan: it changes no privileges.)"""
    from gitinsight.database.roles import runtime_grants_apply

    owner = owner_role()
    connection = connections[using]
    if owner is None or plan is None or connection.settings_dict["USER"] != owner:
        return
    with connection.cursor() as cursor:
        runtime_grants_apply(cursor, runtime=settings.DATABASE_RUNTIME_USER, owner=owner)
