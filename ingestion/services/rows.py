"""The one way ingestion writes a GitHub entity: an upsert on its GitHub key that tells
the caller what changed, and signals sent only once the transaction has committed."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic, TypeVar

from django.db import IntegrityError, models, transaction
from django.dispatch import Signal

from ingestion.core.normalize.common import PayloadError

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=models.Model)


class UpsertConflict(IntegrityError):
    """The row violates a unique constraint other than the key it was looked up by."""


class UpsertRefused(PayloadError):
    """The payload names a row (by its GitHub id) that belongs to another repository or
    organization. Nothing was written: a payload never moves a row between tenants."""

    def __init__(self, model: type[models.Model], key: dict[str, Any], owner_field: str) -> None:
        self.model, self.key, self.owner_field = model, key, owner_field
        entity = model._meta.verbose_name
        github_id = key.get("github_id", ", ".join(str(value) for value in key.values()))
        owner = owner_field.removesuffix("_id")
        super().__init__(
            f"{entity} {github_id} belongs to another {owner}; a payload never moves a row between "
            "repositories or organizations, so nothing was changed"
        )


def row_owner_check(model: type[M], *, lookup: dict[str, Any], scope: dict[str, Any]) -> None:
    """UpsertRefused when a row matching `lookup` exists with other `scope` values (e.g.
    another repository_id): for deletions, which must neither touch nor silently skip it."""
    for row in model.objects.filter(**lookup).values(*scope):
        _owner_check(model, lookup, row, scope)


def _owner_check(model: type[M], lookup: dict[str, Any], stored: Any, scope: dict[str, Any]) -> None:
    for name, value in scope.items():
        held = stored[name] if isinstance(stored, dict) else getattr(stored, name)
        if held != value:
            raise UpsertRefused(model, lookup, name)


@dataclass
class Upserted(Generic[M]):
    row: M
    created: bool
    #: field -> value before this write, for every field that changed
    previous: dict[str, Any] = field(default_factory=dict)
    #: the incoming JSON was older than the stored row and was ignored
    stale: bool = False

    @property
    def changed(self) -> bool:
        return self.created or bool(self.previous)


def row_upsert(
    model: type[M],
    *,
    lookup: dict[str, Any],
    fields: dict[str, Any],
    fresh_by: str | None = None,
    natural_key: tuple[str, ...] = (),
    scope: tuple[str, ...] = (),
) -> Upserted[M]:
    """INSERT, or UPDATE the changed fields of the row matching `lookup`, under a row lock so
    concurrent writers of one entity serialise. With `fresh_by` (e.g. "updated_at"), JSON
    older than the stored row is ignored: deliveries may arrive out of order. With
    `natural_key` (fields of `fields`, e.g. repository and number), a row found by that key
    instead is adopted: the number of a pull request in a repository is its identity.
    `scope` names the fields of `fields` that say whose row it is ("repository_id"): a row
    found with other values is never updated, UpsertRefused is raised instead."""
    owner = {name: fields[name] for name in scope}
    with transaction.atomic():
        row = model.objects.select_for_update(no_key=True).filter(**lookup).first()
        if row is not None:
            _owner_check(model, lookup, row, owner)
        if row is None and natural_key:
            row = (
                model.objects.select_for_update(no_key=True)
                .filter(**{name: fields[name] for name in natural_key})
                .first()
            )
            if row is not None:
                for name, value in lookup.items():
                    setattr(row, name, value)
                row.save(update_fields=list(lookup))
        if row is None:
            try:
                with transaction.atomic():
                    return Upserted(model.objects.create(**lookup, **fields), created=True)
            except IntegrityError as exc:
                # Another writer inserted the same key between our SELECT and INSERT.
                row = model.objects.select_for_update(no_key=True).filter(**lookup).first()
                if row is None:
                    raise UpsertConflict(f"{model.__name__} {lookup}: {exc}") from exc
                _owner_check(model, lookup, row, owner)
        if fresh_by:
            incoming, stored = fields.get(fresh_by), getattr(row, fresh_by)
            if incoming is not None and stored is not None and incoming < stored:
                return Upserted(row, created=False, stale=True)
        previous = {name: getattr(row, name) for name, value in fields.items() if getattr(row, name) != value}
        if previous:
            for name in previous:
                setattr(row, name, fields[name])
            auto_now = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
            row.save(update_fields=[*previous, *auto_now])
        return Upserted(row, created=False, previous=previous)


def announce(signal: Signal, *, sender: type, **kwargs: Any) -> None:
    """Send `signal` after the current transaction commits (at once outside one). A
    failing receiver is logged, never allowed to undo or break ingestion."""
    transaction.on_commit(partial(_send, signal, sender, kwargs))


def _send(signal: Signal, sender: type, kwargs: dict[str, Any]) -> None:
    for receiver, result in signal.send_robust(sender=sender, **kwargs):
        if isinstance(result, Exception):
            logger.error("signal receiver %r failed: %s", receiver, result, exc_info=result)


def foreign_key_ids(fields: dict[str, Any]) -> dict[str, Any]:
    """Model instances in `fields` as `<name>_id` values, so comparisons are by id."""
    converted = {}
    for name, value in fields.items():
        if isinstance(value, models.Model):
            converted[f"{name}_id"] = value.pk
        else:
            converted[name] = value
    return converted
