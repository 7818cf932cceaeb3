"""Whose rows the database shows: the scope behind row-level security (gitinsight/database/rls.py).

Every tenant table has a policy that lets the runtime role see and write only the rows of the
organizations named in the setting `gitinsight.organizations` ("1,5"), or every row when
`gitinsight.system` is "on". This module keeps the current scope of the code running (a context
variable, so each thread and each request has its own) and puts it into those settings:

- a request: the organizations of its user, or of the API key's user (set by
  `gitinsight.security.middleware.TenantScopeMiddleware` and by `ApiKeyAuthentication`);
  an operator (superuser) works in the system scope;
- a job: the scope of the code that enqueued it (`job_scope_capture` / `job_scope_enter`,
  connected to django-q2's signals); a schedule, a webhook or a command enqueues as the system;
  a task about one row (a repository, a pull request, a check run...) then narrows that to the
  row's organization alone (`runs_in_organization_of`, below);
- system work: `system_scope()`, explicitly, around what acts for the whole installation
  (ingesting a webhook into whatever repository it names, `manage.py` commands, schedules).

Jobs run in the narrowest scope that does their work. A task whose first argument is the id
of one tenant row declares it with `@runs_in_organization_of(Model)`: it runs in the scope of
that row's organization alone, looked up in the scope it was enqueued in (a user's job cannot
widen to what the user cannot see; a row that is gone leaves it nothing), however it was
reached: a webhook's processing, a schedule's fan-out, an operator's retry, a queue from
before this rule (recorded no scope: the system's, then narrowed), another task. The rest say
`@installation_wide(reason)` and keep the scope they were enqueued in, the system's: fan-outs
that list every organization's rows, retention, partitions, backups, statistics, a delivery's
processing (it may create the organization it names).

Without a scope the settings are empty and the tenant tables look empty: forgetting to set
one fails closed.

The settings are transaction-local (`set_config(..., true)`) when the scope changes inside a
transaction, and session-wide otherwise: a job or a command runs in autocommit, where a
transaction-local value would last one statement. A session-wide value is put back to the
enclosing scope's when the scope ends (the connection is closed if that fails) and applied
again to a connection opened later in the scope (`scope_apply_on_connect`), so it never
outlives its scope on a reused connection.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

if TYPE_CHECKING:
    from gitinsight.models.tenancy import TenantModel

logger = logging.getLogger(__name__)

ORGANIZATIONS_SETTING = "gitinsight.organizations"
SYSTEM_SETTING = "gitinsight.system"


@dataclass(frozen=True)
class TenantScope:
    """The organizations whose rows are visible, or every row (`system`)."""

    organizations: tuple[int, ...] = ()
    system: bool = False

    def setting_values(self) -> tuple[str, str]:
        """(gitinsight.organizations, gitinsight.system) as the database reads them."""
        return ",".join(str(int(pk)) for pk in self.organizations), "on" if self.system else "off"


SYSTEM = TenantScope(system=True)
NOBODY = TenantScope()

_current: ContextVar[TenantScope | None] = ContextVar("gitinsight_tenant_scope", default=None)


def current_scope() -> TenantScope | None:
    return _current.get()


def organizations_scope_for(organization_ids: Iterable[int]) -> TenantScope:
    return TenantScope(organizations=tuple(sorted({int(pk) for pk in organization_ids})))


def _same(one: TenantScope | None, other: TenantScope | None) -> bool:
    return (one or NOBODY) == (other or NOBODY)


def scope_set(scope: TenantScope | None, using: str = DEFAULT_DB_ALIAS) -> Token:
    """Make `scope` the current one, in this context and on the database connection if open;
    returns the token `scope_reset` takes to put the previous one back."""
    previous = _current.get()
    token = _current.set(scope)
    if not _same(previous, scope):
        _apply(scope, using)
    return token


def scope_reset(token: Token, using: str = DEFAULT_DB_ALIAS) -> None:
    ending = _current.get()
    _current.reset(token)
    if not _same(ending, _current.get()):
        _apply(_current.get(), using, restoring=True)


def user_scope_set(user_id: int, using: str = DEFAULT_DB_ALIAS) -> Token:
    """`scope_set` with the organizations of user `user_id`, read and applied by the database
    in one round trip (gitinsight_scope_enter_user, gitinsight/database/rls.py)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT gitinsight_scope_enter_user(%s, %s)", [user_id, connection.in_atomic_block])
        (organizations,) = cursor.fetchone()
    return _current.set(TenantScope(organizations=tuple(organizations)))


@dataclass(frozen=True)
class ApiKeyGrant:
    """What gitinsight_scope_enter_api_key read of a usable key, as it is now, and the values
    of the registered companions (`api_key_companion_register`) in the scope it entered."""

    organizations: tuple[int, ...]
    system: bool
    permissions: list[str]
    rate_limit: int
    last_used: datetime | None
    companions: dict[str, Any] = field(default_factory=dict)


# {name: SQL of one value}: read by the statement that enters an API key's scope, in that scope.
_api_key_companions: dict[str, str] = {}


def api_key_companion_register(name: str, sql: str) -> None:
    """Have every API key's scope entry also read `sql`, a subquery of one value that may use
    `k.organizations` and `k.system` (the scope being entered): an app that reads something
    on most API requests (ingestion: the caller's repository ids) saves the round trip. The
    value is read fresh with each request, like the scope itself; it is in `ApiKeyGrant.companions`."""
    _api_key_companions[name] = sql


def api_key_scope_set(key_id: int, using: str = DEFAULT_DB_ALIAS) -> tuple[Token, ApiKeyGrant] | None:
    """Check that API key `key_id` is still usable and enter its user's scope, in one round trip
    (gitinsight_scope_enter_api_key, gitinsight/database/rls.py), with its companions. None, and
    the scope left as it was, when the key is revoked, expired, deleted or its user inactive."""
    connection = connections[using]
    names = list(_api_key_companions)
    # The companions are the registered SQL of the apps' code, never a request's text.
    companions = "".join(f", ({_api_key_companions[name]})" for name in names)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT k.organizations, k.system, k.permissions, k.rate_limit, k.last_used"  # noqa: S608
            f"{companions} FROM gitinsight_scope_enter_api_key(%s, %s) AS k",
            [key_id, connection.in_atomic_block],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    grant = ApiKeyGrant(organizations=tuple(row[0]), system=row[1], permissions=list(row[2]), rate_limit=row[3],
                        last_used=row[4], companions=dict(zip(names, row[5:], strict=True)))
    scope = SYSTEM if grant.system else TenantScope(organizations=grant.organizations)
    return _current.set(scope), grant


@contextmanager
def tenant_scope(scope: TenantScope | None, using: str = DEFAULT_DB_ALIAS) -> Iterator[TenantScope | None]:
    token = scope_set(scope, using)
    try:
        yield scope
    finally:
        scope_reset(token, using)


@contextmanager
def transaction_in_scope(scope: TenantScope, using: str = DEFAULT_DB_ALIAS) -> Iterator[TenantScope]:
    """`transaction.atomic()` in `scope`, for work that is one transaction: the settings are set
    for the transaction only, so its commit or rollback puts the connection's own back and
    leaving the scope costs no statement (a webhook delivery: one round trip fewer). Inside
    another transaction it is `tenant_scope` around a savepoint."""
    connection = connections[using]
    if connection.in_atomic_block:
        # The scope outside the savepoint: put back after a failed block has been rolled back.
        with tenant_scope(scope, using), transaction.atomic(using=using):
            yield scope
        return
    previous = _current.get()
    with transaction.atomic(using=using):
        token = _current.set(scope)
        try:
            if not _same(previous, scope):
                _settings_write(connection, scope, local=True)
            yield scope
        finally:
            _current.reset(token)


def system_scope(using: str = DEFAULT_DB_ALIAS):
    """The bypass: every row of every organization, for work done for the whole installation
    (webhook ingestion, schedules, commands, operators). Say so where it is used."""
    return tenant_scope(SYSTEM, using)


def organization_scope(organization_id: int, using: str = DEFAULT_DB_ALIAS):
    """One organization's rows only: for system work that goes through every organization's
    rows one at a time (the daily forecasts, the hourly search indexing, the check-run
    retries), so the work on one cannot touch another's."""
    return tenant_scope(organizations_scope_for([organization_id]), using)


def _apply(scope: TenantScope | None, using: str, *, restoring: bool = False) -> None:
    connection = connections[using]
    if connection.connection is None:
        return  # applied by scope_apply_on_connect when the connection opens
    if connection.in_atomic_block and connection.needs_rollback:
        return  # the rollback puts back the values this transaction set
    try:
        _settings_write(connection, scope or NOBODY, local=connection.in_atomic_block)
    except DatabaseError:
        if not restoring:
            raise
        # The values of the ending scope might stay on this connection: it goes.
        logger.warning("Could not put the tenant scope back; closing the database connection.")
        connection.close()


def _settings_write(connection, scope: TenantScope, *, local: bool) -> None:
    organizations, system = scope.setting_values()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(%s, %s, %s), set_config(%s, %s, %s)",
            [ORGANIZATIONS_SETTING, organizations, local, SYSTEM_SETTING, system, local],
        )


def scope_apply_on_connect(sender, connection, **kwargs) -> None:
    """connection_created: a connection opened inside a scope starts in it."""
    scope = _current.get()
    if scope is not None and connection.alias == DEFAULT_DB_ALIAS:
        _settings_write(connection, scope, local=False)


# --- jobs (django-q2 signals, connected in apps.py) -------------------------------------

JOB_SCOPE_KEY = "tenant_scope"
_job_tokens: dict[str, Token] = {}


def job_scope_capture(sender, task: dict, **kwargs) -> None:
    """pre_enqueue: a job runs in the scope of whoever enqueued it; with none (the scheduler,
    a command, a webhook's system scope) it is system work."""
    scope = _current.get() or SYSTEM
    task[JOB_SCOPE_KEY] = {"organizations": list(scope.organizations), "system": scope.system}


def job_scope_enter(sender, func, task: dict, **kwargs) -> None:
    """pre_execute: the job's scope, as captured when it was enqueued (system for a task
    enqueued before scopes existed)."""
    captured = task.get(JOB_SCOPE_KEY)
    scope = SYSTEM if captured is None else TenantScope(tuple(captured["organizations"]), bool(captured["system"]))
    _job_tokens[task["id"]] = scope_set(scope)


def job_scope_leave(sender, func, task: dict, **kwargs) -> None:
    """post_execute_in_worker: back to the worker's own scope."""
    token = _job_tokens.pop(task["id"], None)
    if token is not None:
        scope_reset(token)


# --- jobs about one tenant row ------------------------------------------------------------

Task = TypeVar("Task", bound=Callable[..., Any])


def runs_in_organization_of(model: type[TenantModel]) -> Callable[[Task], Task]:
    """Declares a task whose first argument is the id of one `model` row (a TenantModel): it
    runs in the scope of that row's organization alone, looked up in the scope it was started
    in (the module docstring says why and when). The narrowing happens inside the call, so a
    failed lookup fails the task (retried like any failure) rather than the worker."""

    def declare(task: Task) -> Task:
        subject = next(iter(inspect.signature(task).parameters))

        @functools.wraps(task)
        def in_its_organization(*args: Any, **kwargs: Any) -> Any:
            subject_id = args[0] if args else kwargs.get(subject)
            with tenant_scope(organization_scope_of(model, subject_id)):
                return task(*args, **kwargs)

        in_its_organization.tenant_subject = model  # type: ignore[attr-defined]
        return in_its_organization  # type: ignore[return-value]

    return declare


def organization_scope_of(model: type[TenantModel], pk: Any) -> TenantScope:
    """The scope of the organization of `model` row `pk`, as the current scope sees it; nobody's
    when the row is not there (deleted, or another tenant's)."""
    if pk is None:
        return NOBODY
    # tenant_path ends at the organization's key ("repository__organization"; "pk" for itself)
    organization_id = model.objects.filter(pk=pk).values_list(model.tenant_path, flat=True).first()
    return NOBODY if organization_id is None else TenantScope(organizations=(int(organization_id),))


def installation_wide(reason: str) -> Callable[[Task], Task]:
    """Declares a task that works for the whole installation and so runs in the scope it was
    enqueued in, the system's for a schedule; `reason` says why (kept on the task, where the
    check that every task chose its scope reads it)."""

    def declare(task: Task) -> Task:
        task.tenant_system_reason = reason  # type: ignore[attr-defined]
        return task

    return declare
