"""Row-level security on every tenant table, written from each model's `tenant_path`
(gitinsight/models/tenancy.py): a second wall behind the scoping in the code.

Each tenant table gets one policy, `tenant_rows`, for every command: a row is visible and
writable when its organization is in the current scope (`gitinsight.organizations`, see
gitinsight/database/tenant_scope.py) or the scope is the system's (`gitinsight.system`). A
table whose path runs through other tables (a check run's analysis reaches its organization
through the check run and the repository) checks it with an EXISTS subquery along the foreign
keys, which are indexed. A model that declares `tenant_shared_when_null` (the installation's
default triage configuration) also lets every scope read its rows of no organization.

Policies bind only the runtime role: the owner (migrations, partition upkeep, restores) and
superusers bypass them, which is the bypass for migrations; the application's own bypass is
the system scope.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db import models

from gitinsight.models.tenancy import ITSELF, TenantModel

POLICY = "tenant_rows"
SHARED_POLICY = "tenant_shared_rows"
# The scope as the policies read it: once per statement. Called plainly, the two SQL functions
# are inlined and PostgreSQL reads the settings (and parses the organizations' list) for every
# row it checks; as a sub-select each is an initplan, evaluated once (a count of 5,000 issues:
# 1.3-1.7 ms -> 1.0 ms). The cast keeps `= ANY` an array comparison, not a subquery's.
SCOPE_SYSTEM = "(SELECT gitinsight_scope_system())"
SCOPE_ORGANIZATIONS = "(SELECT gitinsight_scope_organizations())::bigint[]"

FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION gitinsight_scope_organizations() RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(string_to_array(nullif(current_setting('gitinsight.organizations', true), ''), ',')::bigint[],
                          '{}'::bigint[]) $$;
CREATE OR REPLACE FUNCTION gitinsight_scope_system() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(current_setting('gitinsight.system', true), '') = 'on' $$;
-- A request's scope in one round trip: the user's organizations, read as the owner (the
-- memberships are themselves behind the wall), put into the settings and returned. It
-- gives the caller nothing it could not set itself.
CREATE OR REPLACE FUNCTION gitinsight_scope_enter_user(user_id bigint, is_local boolean) RETURNS bigint[]
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
DECLARE organizations bigint[];
BEGIN
    SELECT coalesce(array_agg(m.organization_id ORDER BY m.organization_id), '{}') INTO organizations
    FROM organization_memberships m WHERE m.user_id = gitinsight_scope_enter_user.user_id;
    PERFORM set_config('gitinsight.organizations', array_to_string(organizations, ','), is_local);
    PERFORM set_config('gitinsight.system', 'off', is_local);
    RETURN organizations;
END $$;
"""

FUNCTIONS_DROP_SQL = """
DROP FUNCTION IF EXISTS gitinsight_scope_organizations();
DROP FUNCTION IF EXISTS gitinsight_scope_system();
DROP FUNCTION IF EXISTS gitinsight_scope_enter_user(bigint, boolean);
"""


# An API request's key check and scope in one round trip (gitinsight/security/api_key_entry.py):
# no row when the key is no longer usable (revoked, expired, deleted, its user inactive), and then
# the settings are left alone; otherwise the scope of the key's user (every row for an operator)
# is set and the key's fields that may change under a process that remembers the key are returned.
API_KEY_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION gitinsight_scope_enter_api_key(key_id bigint, is_local boolean)
    RETURNS TABLE (organizations bigint[], system boolean, permissions varchar[], rate_limit integer,
                   last_used timestamptz)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$
DECLARE owner_id bigint;
BEGIN
    SELECT k.user_id, u.is_superuser, k.permissions, k.rate_limit, k.last_used
        INTO owner_id, system, permissions, rate_limit, last_used
    FROM api_keys k JOIN users u ON u.id = k.user_id
    WHERE k.id = gitinsight_scope_enter_api_key.key_id AND k.is_active AND u.is_active
        AND (k.expires_at IS NULL OR k.expires_at > clock_timestamp());
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF system THEN
        organizations := '{}';
    ELSE
        SELECT coalesce(array_agg(m.organization_id ORDER BY m.organization_id), '{}') INTO organizations
        FROM organization_memberships m WHERE m.user_id = owner_id;
    END IF;
    PERFORM set_config('gitinsight.organizations', array_to_string(organizations, ','), is_local);
    PERFORM set_config('gitinsight.system', CASE WHEN system THEN 'on' ELSE 'off' END, is_local);
    RETURN NEXT;
END $$;
"""
API_KEY_FUNCTION_DROP_SQL = "DROP FUNCTION IF EXISTS gitinsight_scope_enter_api_key(bigint, boolean);"


def tenant_models() -> list[type[TenantModel]]:
    """Every concrete model with a table of its own that holds an organization's data (one
    per table: a second model on the same table is left out)."""
    found, tables = [], set()
    for model in apps.get_models():
        meta = model._meta
        if not issubclass(model, TenantModel) or meta.proxy or meta.abstract:
            continue
        if meta.db_table in tables:
            continue
        tables.add(meta.db_table)
        found.append(model)
    return found


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def row_condition(model: type[TenantModel]) -> str:
    """The SQL condition that a row of `model` belongs to an organization in scope."""
    in_scope = f"= ANY ({SCOPE_ORGANIZATIONS})"
    table = _q(model._meta.db_table)
    if model.tenant_path == ITSELF:
        return f"{table}.{_q(model._meta.pk.column)} {in_scope}"
    fields = model.tenant_fields()
    first, *rest = fields
    if not rest:
        return f"{table}.{_q(first.column)} {in_scope}"
    # Walk the joins: hop i is the table `first` points to, aliased t1, t2...
    joins, previous = [], None
    for index, field in enumerate(fields[:-1], start=1):
        target: type[models.Model] = field.related_model
        alias = f"t{index}"
        if previous is None:
            joins.append(f"{_q(target._meta.db_table)} {alias}")
            where = f"{alias}.{_q(field.target_field.column)} = {table}.{_q(field.column)}"
        else:
            prev_alias, _ = previous
            joins.append(
                f"JOIN {_q(target._meta.db_table)} {alias} "
                f"ON {alias}.{_q(field.target_field.column)} = {prev_alias}.{_q(field.column)}"
            )
        previous = (alias, field)
    last_alias = previous[0]
    last = fields[-1]
    # Identifiers from the models, quoted; no input reaches this text.
    return f"EXISTS (SELECT 1 FROM {' '.join(joins)} WHERE {where} AND {last_alias}.{_q(last.column)} {in_scope})"  # noqa: S608


def policy_sql(model: type[TenantModel]) -> list[str]:
    """The statements that put `model`'s table behind its policy (idempotent)."""
    table = _q(model._meta.db_table)
    condition = f"{SCOPE_SYSTEM} OR {row_condition(model)}"
    statements = [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {POLICY} ON {table}",
        f"CREATE POLICY {POLICY} ON {table} USING ({condition}) WITH CHECK ({condition})",
        f"DROP POLICY IF EXISTS {SHARED_POLICY} ON {table}",
    ]
    if getattr(model, "tenant_shared_when_null", False):
        column = _q(model.tenant_fields()[0].column)
        statements.append(f"CREATE POLICY {SHARED_POLICY} ON {table} FOR SELECT USING ({table}.{column} IS NULL)")
    return statements


def policy_drop_sql(model: type[TenantModel]) -> list[str]:
    table = _q(model._meta.db_table)
    return [
        f"DROP POLICY IF EXISTS {POLICY} ON {table}",
        f"DROP POLICY IF EXISTS {SHARED_POLICY} ON {table}",
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
    ]


def policies_apply(cursor, tenant: list[type[TenantModel]] | None = None) -> None:
    """Functions and policies for `tenant` (default every tenant model) whose tables exist
    (a model added later gets them from its own migration)."""
    cursor.execute(FUNCTIONS_SQL)
    existing = set(_tables(cursor, "rp"))
    for model in tenant_models() if tenant is None else tenant:
        if model._meta.db_table in existing:
            for statement in policy_sql(model):
                cursor.execute(statement)


def policies_remove(cursor, tenant: list[type[TenantModel]] | None = None) -> None:
    existing = set(_tables(cursor, "rp"))
    for model in tenant_models() if tenant is None else tenant:
        if model._meta.db_table in existing:
            for statement in policy_drop_sql(model):
                cursor.execute(statement)
    cursor.execute(FUNCTIONS_DROP_SQL)


def _tables(cursor, kinds: str) -> list[str]:
    """The tenant models' relations of these pg_class kinds ("rp": tables and partitioned tables)."""
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind::text = ANY(%s) AND c.relname = ANY(%s)",
        [list(kinds), [model._meta.db_table for model in tenant_models()]],
    )
    return sorted(name for (name,) in cursor.fetchall())


def tables_without_policy(cursor) -> list[str]:
    """The tenant relations that nothing in the database scopes: tables (and partitioned
    tables) where row-level security is off or that have no `tenant_rows` policy, which is
    what a new tenant model's migration forgot, and views whose definition does not filter by
    the scope (a materialized view never can: it is read through a scoped view)."""
    tables = [model._meta.db_table for model in tenant_models()]
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = ANY(%s) "
        "AND c.relrowsecurity AND EXISTS (SELECT FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = %s)",
        [tables, POLICY],
    )
    protected = {name for (name,) in cursor.fetchall()}
    return sorted(set(tables) - protected - set(scoped_views(cursor)))


def scoped_views(cursor) -> list[str]:
    """Tenant models read from a view that keeps only the rows in the current scope."""
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind = 'v' AND c.relname = ANY(%s) "
        "AND pg_get_viewdef(c.oid) LIKE %s",
        [[model._meta.db_table for model in tenant_models()], "%gitinsight_scope_organizations()%"],
    )
    return sorted(name for (name,) in cursor.fetchall())


@contextmanager
def copy_into(cursor, table: str, columns: str) -> Iterator:
    """COPY rows into `table` (a psycopg Copy to write rows to). PostgreSQL refuses COPY FROM
    into a table under row-level security for a role the policies bind, as the application's
    is: the rows go into a temporary table first, then into `table` by one INSERT, which the
    policy checks. `columns` is the quoted, comma-separated column list."""
    staging = _q(f"_staging_{table}")
    cursor.execute(f"DROP TABLE IF EXISTS {staging}")  # left by a failed copy outside a transaction
    # Only the copied columns, with their types and no constraints: the table checks them.
    cursor.execute(f"CREATE TEMPORARY TABLE {staging} AS SELECT {columns} FROM {_q(table)} WITH NO DATA")  # noqa: S608
    with cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
        yield copy
    cursor.execute(f"INSERT INTO {_q(table)} ({columns}) SELECT {columns} FROM {staging}")  # noqa: S608 - our names
    cursor.execute(f"DROP TABLE {staging}")
