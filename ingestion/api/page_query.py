"""The page query of the list endpoints (and a detail endpoint's row), compiled once per shape.

Django compiles a queryset's SQL on every evaluation: filtering, naming 20-35 columns,
ordering and limiting cost most of a millisecond a request, the same text every time for
the same view, filters, ordering and page. `PageRows` records what the view, its filter
backend and its paginator do to the list's queryset (`visible_to`, equality and range
filters on its own columns or on a column of the row one foreign key points to, an
ordering, a slice, a count, a `get`) and runs the SQL the ORM sent the first time it saw
that shape, binding this request's values. Anything else (django-filter's form path, a
lookup across more relations, a value that is not a plain number or text) builds the ORM
queryset and goes on from there, so every answer is the ORM's.

The first evaluation of a shape runs through the ORM and records the one statement it
sent; the shape is kept only when that statement's parameters are exactly the values
`PageRows` binds, in the same order (a lookup whose SQL depends on its value would not
match, and is never cached). The tenant scoping is the ORM's: the view's
`repository_id IN (…)` filter is a parameter like any other, and row-level security
applies to the statement as to any."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import orjson
from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import JSONField, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.query import MAX_GET_RESULTS, ValuesIterable

# Lookups whose SQL is the column, an operator and one placeholder (`in`: one per value).
_LOOKUPS = frozenset({"exact", "lt", "gt", "lte", "gte", "in"})

# {(database alias, shape): (sql, column names, converters, base queryset)}. A page's limit and
# offset are part of its text (Django writes them in), so every page number and page size a
# client asks for is a shape: past SHAPES_MAX (about 2 kB each) the ORM answers new ones.
SHAPES_MAX = 2000
_compiled: dict[tuple, tuple[str, list[str] | None, list, QuerySet]] = {}
# Shapes whose statement did not match the bound values: always through the ORM.
_refused: set[tuple] = set()
_lock = threading.Lock()


def compiled_clear() -> None:
    """Forget every compiled shape (tests start each case from the ORM's path)."""
    with _lock:
        _compiled.clear()
        _refused.clear()


class PageRows:
    """A `values()` queryset of one list, filtered, ordered and sliced lazily. It answers
    the calls the list views make on their queryset; any other attribute is the ORM
    queryset's (built from the recorded calls), so callers that need more get a QuerySet."""

    def __init__(self, base: QuerySet, filters: tuple = (), ordering: tuple | None = None,
                 bounds: tuple[int, int | None] | None = None) -> None:
        self._base = base
        self._filters = filters  # ((apply to a QuerySet, bound values, shape), ...) in the order applied
        self._ordering = ordering
        self._bounds = bounds
        self._rows: list[dict[str, Any]] | None = None
        self.model = base.model

    # -- what the views, the filter backend and the paginators call ----------------------

    def all(self) -> PageRows:
        return PageRows(self._base, self._filters, self._ordering, self._bounds)

    def filter(self, *args, **kwargs) -> PageRows | QuerySet:
        planned = None if args or self._bounds else _plan_filter(self.model, kwargs)
        if planned is None:
            return self.orm().filter(*args, **kwargs)
        return PageRows(self._base, (*self._filters, planned), self._ordering, self._bounds)

    def visible_to(self, user) -> PageRows | QuerySet:
        """The TenantQuerySet's `visible_to`: its statement binds the user's id (nothing for an
        operator, who sees every row)."""
        if self._bounds or not user.is_authenticated or not isinstance(user.pk, int):
            return self.orm().visible_to(user)
        planned = (lambda queryset: queryset.visible_to(user), () if user.is_superuser else (user.pk,),
                   ("visible_to", user.is_superuser))
        return PageRows(self._base, (*self._filters, planned), self._ordering, self._bounds)

    def get(self, *args, **kwargs) -> dict[str, Any] | Any:
        """`QuerySet.get`: unordered, at most MAX_GET_RESULTS rows, the same errors."""
        planned = None if args or self._bounds else _plan_filter(self.model, kwargs)
        if planned is None:
            return self.orm().get(*args, **kwargs)
        rows = PageRows(self._base, (*self._filters, planned), (), (0, MAX_GET_RESULTS))._fetch()
        if len(rows) == 1:
            return rows[0]
        meta = self.model._meta
        if not rows:
            raise self.model.DoesNotExist(f"{meta.object_name} matching query does not exist.")
        many = len(rows) if len(rows) < MAX_GET_RESULTS else f"more than {MAX_GET_RESULTS - 1}"
        raise self.model.MultipleObjectsReturned(
            f"get() returned more than one {meta.object_name} -- it returned {many}!")

    def order_by(self, *names: str) -> PageRows | QuerySet:
        if self._bounds or not all(isinstance(name, str) for name in names):
            return self.orm().order_by(*names)
        return PageRows(self._base, self._filters, tuple(names), self._bounds)

    @property
    def ordered(self) -> bool:
        return bool(self._ordering) or self._base.ordered

    def __getitem__(self, key):
        if isinstance(key, slice) and self._bounds is None and key.step is None and (
            isinstance(key.start, int | None) and isinstance(key.stop, int | None)
            and (key.start or 0) >= 0 and (key.stop is None or key.stop >= 0)
        ):
            start = key.start or 0
            if key.stop is not None and key.stop <= start:
                return []  # Django's answer for an empty slice, without a query
            return PageRows(self._base, self._filters, self._ordering, (start, key.stop))
        if self._rows is not None:
            return self._rows[key]
        return self.orm()[key]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._fetch())

    def __len__(self) -> int:
        return len(self._fetch())

    def __bool__(self) -> bool:
        return bool(self._fetch())

    def count(self) -> int:
        if self._rows is not None:
            return len(self._rows)
        if self._bounds is not None:
            return self.orm().count()
        return _run(self, "count")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # the QuerySet's own (`_default_manager` is a model's: absent)
            raise AttributeError(name)
        return getattr(self.orm(), name)

    def __repr__(self) -> str:
        return f"<PageRows of {self.orm()!r}>"

    # -- the two ways of answering --------------------------------------------------------

    def orm(self) -> QuerySet:
        """The ORM queryset of the recorded calls."""
        queryset = self._base
        for apply, _, _ in self._filters:
            queryset = apply(queryset)
        if self._ordering is not None:
            queryset = queryset.order_by(*self._ordering)
        if self._bounds is not None:
            queryset = queryset[self._bounds[0]:self._bounds[1]]
        return queryset

    def _fetch(self) -> list[dict[str, Any]]:
        if self._rows is None:
            self._rows = _run(self, "rows")
        return self._rows


def _plan_filter(model, kwargs: dict[str, Any]) -> tuple | None:
    """(apply, bound values, shape) of one `filter(**kwargs)` call that `PageRows` can bind
    itself, or None. Values are prepared as the ORM prepares them (an invalid cursor position
    fails here, as it fails in `QuerySet.filter`), in the order it binds them: Q sorts keyword
    arguments by name."""
    bound, shape = [], []
    for name, value in sorted(kwargs.items()):
        path = name.split(LOOKUP_SEP)
        lookup = path.pop() if len(path) > 1 and path[-1] in _LOOKUPS else "exact"
        field = _column(model, path)
        if field is None:
            return None
        values = value if lookup == "in" else (value,)
        if not isinstance(values, list | tuple) or not all(type(v) in (int, str) for v in values):
            return None
        prepared = list(dict.fromkeys(field.get_prep_value(v) for v in values))  # `in` drops duplicates
        if not prepared:
            return None
        bound.extend(prepared)
        shape.append((name, len(prepared)))
    lookups = dict(kwargs)
    return (lambda queryset: queryset.filter(**lookups)), tuple(bound), tuple(shape)


def _column(model, path: list[str]):
    """The field a filter's path names: a column of `model` (a foreign key's own included), or
    a column of the row one of its foreign keys points to (`organization__login`); None for
    anything else, which the ORM answers."""
    if not 1 <= len(path) <= 2:
        return None
    try:
        field = model._meta.pk if path[0] == "pk" else model._meta.get_field(path[0])
        if len(path) == 2:
            if not (field.many_to_one and field.concrete):
                return None
            field = field.related_model._meta.get_field(path[1])
    except FieldDoesNotExist:  # the ORM raises its own error
        return None
    if not getattr(field, "concrete", False) or (field.is_relation and not field.many_to_one):
        return None
    return field


def _run(rows: PageRows, kind: str):
    """Rows (dicts, as `values()` gives them) or the count of `rows`' query, by its shape's
    compiled statement when one is known, else by the ORM (learning the statement)."""
    queryset = rows._base
    connection = connections[queryset.db]
    shape = (id(queryset), kind, tuple(planned[2] for planned in rows._filters), rows._ordering, rows._bounds)
    key = (connection.alias, shape)
    bound = [value for planned in rows._filters for value in planned[1]]
    compiled = _compiled.get(key)
    if compiled is None or compiled[3] is not queryset:
        if key in _refused:
            orm = rows.orm()
            return orm.count() if kind == "count" else list(orm)
        return _learn(rows.orm(), kind, key, bound, connection, queryset)
    sql, names, converters, _ = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, bound)
        if kind == "count":
            return cursor.fetchone()[0]
        fetched = cursor.fetchall()
    if converters:
        fetched = _converted(fetched, converters, connection)
    indexes = range(len(names))
    return [{names[i]: row[i] for i in indexes} for row in fetched]


def _learn(queryset: QuerySet, kind: str, key: tuple, bound: list, connection, base: QuerySet):
    """The ORM's answer, keeping the one statement it sent when its parameters are `bound`.
    The entry holds `base` itself, so the id in its key cannot be another queryset's."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        answer = queryset.count() if kind == "count" else list(queryset)
    if len(sent) != 1 or len(_compiled) + len(_refused) >= SHAPES_MAX:
        # None (nothing to find), or another statement besides (a new connection entering its
        # scope): learned another time.
        return answer
    if _same(sent[0][1], bound) and (kind == "count" or _values_rows(queryset)):
        names, converters = None, []
        if kind == "rows":
            query = queryset.query
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            compiler = query.get_compiler(using=queryset.db)
            compiler.setup_query()
            converters = [
                (position, ([_json_text(function) for function in functions], expression))
                for position, (functions, expression)
                in compiler.get_converters([s[0] for s in compiler.select[:compiler.col_count]]).items()
            ]
        with _lock:
            _compiled[key] = (sent[0][0], names, converters, base)
    else:
        with _lock:
            _refused.add(key)
    return answer


def _same(params, bound: list) -> bool:
    params = list(params or ())
    return len(params) == len(bound) and all(type(a) is type(b) and a == b for a, b in zip(params, bound, strict=True))


def _values_rows(queryset: QuerySet) -> bool:
    """Whether rows come as `values()` dicts, the only rows the compiled path builds."""
    return queryset._iterable_class is ValuesIterable


# orjson reads an integer beyond 64 bits as a float; a text with such a run of digits (in a
# number or, harmlessly, a string) is left to json.loads, which keeps it an int.
_LONG_DIGITS = re.compile(r"\d{19}")


def _json_text(function):
    """`function`, or for the converter of a JSONField without a decoder of its own (json.loads
    of the text PostgreSQL prints, most of the converters' time), the same answer from orjson,
    several times faster. Any text it refuses (NaN, say) takes `function` itself."""
    if getattr(function, "__func__", None) is not JSONField.from_db_value or function.__self__.decoder is not None:
        return function

    def from_db_value(value, expression, connection):
        if type(value) is str and _LONG_DIGITS.search(value) is None:
            try:
                return orjson.loads(value)
            except orjson.JSONDecodeError:
                pass
        return function(value, expression, connection)

    return from_db_value


def _converted(fetched: list[tuple], converters: list, connection) -> list[list]:
    """`SQLCompiler.apply_converters`, over every row."""
    out = []
    for row in fetched:
        row = list(row)
        for position, (functions, expression) in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        out.append(row)
    return out
