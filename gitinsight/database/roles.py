"""The two database roles: the owner, which owns the schema (migrations and partition
upkeep run as it), and the runtime role the web server and the workers use, which may
read and write rows and nothing more. The runtime role owns nothing, so it cannot alter,
drop or truncate a table, disable a trigger or grant itself anything; the audit log is
append-only for it (insert and read, and clear the user of a deleted account).

These functions take a DB-API cursor connected as the owner (or a superuser) and are
idempotent: they run after every `migrate`, after a restore and whenever a partition is
created, so that every table, present or future, has exactly these privileges.
"""

from __future__ import annotations

import re

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]{0,62}$")
AUDIT_TABLE = "audit_logs"


class RoleNameError(ValueError):
    """A role name that would need quoting rules we do not take chances with."""


def quoted(role: str) -> str:
    if not _IDENTIFIER.match(role):
        raise RoleNameError(f"Database role names must be letters, digits and underscores; got {role!r}.")
    return f'"{role}"'


def runtime_grants_sql(*, runtime: str, owner: str) -> list[str]:
    """The statements that give `runtime` the rights the application needs on the public
    schema of the current database, now and for the tables `owner` creates later, and keep
    the audit log append-only for it (run by `owner`, or inside a restore)."""
    app, own = quoted(runtime), quoted(owner)
    return [
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {own} IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {own} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {app}",
        audit_privileges_sql(runtime=runtime),
        materialized_views_hidden_sql(runtime=runtime),
    ]


def materialized_views_hidden_sql(*, runtime: str) -> str:
    """No materialized view is readable by `runtime`: row-level security cannot bind one, so
    the application reads each through a view that keeps the rows in its scope (the
    statistics: analysis migration 0009), and refreshes it through its owner's function."""
    app = quoted(runtime)
    return f"""DO $$
DECLARE name text;
BEGIN
    FOR name IN SELECT matviewname FROM pg_matviews WHERE schemaname = 'public' LOOP
        EXECUTE format('REVOKE ALL ON public.%I FROM {app}', name);
    END LOOP;
END $$"""  # noqa: S608 - a quoted role name of ours, no input


def audit_privileges_sql(*, runtime: str) -> str:
    """The audit log, for `runtime`: read and insert through the parent table, clear
    `user_id` when an account is deleted, nothing else; its partitions are not reachable
    by name at all (the append-only trigger is a second wall behind this)."""
    app = quoted(runtime)
    return f"""DO $$
DECLARE partition text;
BEGIN
    IF to_regclass('public.{AUDIT_TABLE}') IS NULL THEN
        RETURN;  -- before the migration that creates it
    END IF;
    REVOKE ALL ON public.{AUDIT_TABLE} FROM {app};
    GRANT SELECT, INSERT ON public.{AUDIT_TABLE} TO {app};
    GRANT UPDATE (user_id) ON public.{AUDIT_TABLE} TO {app};
    FOR partition IN SELECT child.relname FROM pg_inherits JOIN pg_class child ON child.oid = pg_inherits.inhrelid
                     WHERE pg_inherits.inhparent = 'public.{AUDIT_TABLE}'::regclass LOOP
        EXECUTE format('REVOKE ALL ON public.%I FROM {app}', partition);
    END LOOP;
END $$"""  # noqa: S608 - quoted identifiers of ours, no input


def runtime_grants_apply(cursor, *, runtime: str, owner: str) -> None:
    for statement in runtime_grants_sql(runtime=runtime, owner=owner):
        cursor.execute(statement)


def audit_privileges_restrict(cursor, *, runtime: str) -> None:
    cursor.execute(audit_privileges_sql(runtime=runtime))


#: drops every table, view, sequence and function the current user owns in the public
#: schema, and nothing else (not the schema, not the extensions a superuser installed):
#: what a restore by the owner replaces
OWNED_OBJECTS_DROP_SQL = """DO $$
DECLARE statement text;
BEGIN
    FOR statement IN
        SELECT format('DROP %s IF EXISTS public.%I CASCADE', CASE c.relkind WHEN 'v' THEN 'VIEW'
            WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
            c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND NOT c.relispartition
          AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
          -- a column's own sequence (serial, identity) goes with its table
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass
                          AND d.deptype IN ('a', 'i') AND c.relkind = 'S')
        ORDER BY c.relkind IN ('v', 'm') DESC
    LOOP
        EXECUTE statement;
    END LOOP;
    FOR statement IN
        SELECT format('DROP ROUTINE IF EXISTS %s CASCADE', p.oid::regprocedure)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE statement;
    END LOOP;
END $$"""


def partitions_of(cursor, parent: str) -> list[str]:
    cursor.execute(
        "SELECT child.relname FROM pg_inherits JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
        "WHERE pg_inherits.inhparent = to_regclass(%s) ORDER BY child.relname",
        [f"public.{parent}"],
    )
    return [name for (name,) in cursor.fetchall()]


def objects_adopt(cursor, *, owner: str) -> int:
    """Make `owner` the owner of every table, view, sequence and function in the public
    schema that another role owns (databases made before the roles were split, when a
    superuser owned everything); returns how many objects changed hands. Needs a superuser
    (or the current owners)."""
    own = quoted(owner)
    cursor.execute(
        "SELECT c.relkind, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') "
        "AND c.relkind = 'S' "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND d.objid IS NULL "
        "AND pg_get_userbyid(c.relowner) <> %s ORDER BY c.relkind DESC, c.relname",
        [owner],
    )
    relations = cursor.fetchall()
    kinds = {"r": "TABLE", "p": "TABLE", "f": "FOREIGN TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}
    for kind, name in relations:
        cursor.execute(f'ALTER {kinds[kind]} public."{name}" OWNER TO {own}')
    cursor.execute(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "LEFT JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e' "
        "WHERE n.nspname = 'public' AND d.objid IS NULL AND pg_get_userbyid(p.proowner) <> %s",
        [owner],
    )
    functions = [signature for (signature,) in cursor.fetchall()]
    for signature in functions:
        cursor.execute(f"ALTER ROUTINE {signature} OWNER TO {own}")
    return len(relations) + len(functions)
