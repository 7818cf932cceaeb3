"""Config snapshots: the thresholds a run used, stored once per config_version. Versions are
given out here, never taken from a caller, and the global snapshot is the one without a
repository, looked up as such.

The global snapshot holds the code's DEFAULT_CONFIG (a newer one, by the `config_version` its
thresholds carry, becomes active on first use). A repository's snapshot holds only what its
maintainers' feedback moved (`overrides`, applied on top of the global snapshot it was tuned
against); one tuned against an older global snapshot is ignored until it is tuned again. A
repository snapshot without `overrides` (written by hand) replaces the keys it names.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Max

from gitinsight.database.tenant_scope import system_scope
from gitinsight.services.audit import audit_record
from ingestion.core.channels import CHANNEL_RULES, CHANNEL_RULES_VERSION
from ingestion.models import Repository
from triage.duplicates.core.scoring import DEFAULT_CONFIG
from triage.duplicates.models import ConfigSnapshot


def _versions_lock() -> None:
    """Until the transaction ends, no other writer adds a snapshot (readers are not held up)."""
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {connection.ops.quote_name(ConfigSnapshot._meta.db_table)} IN EXCLUSIVE MODE")


def config_snapshot_add(*, snapshot: ConfigSnapshot) -> ConfigSnapshot:
    """Store a new snapshot under the next free config_version (whatever version it carries)."""
    with transaction.atomic():
        _versions_lock()
        # Versions are numbered across every organization's snapshots: count them all
        # (row-level security's system scope), not only those of the caller's organizations.
        with system_scope():
            latest = ConfigSnapshot.objects.aggregate(latest=Max("config_version"))["latest"] or 0
        snapshot.config_version = latest + 1
        snapshot.save(force_insert=True)
    return snapshot


def _rules_yaml() -> str:
    return json.dumps(
        {"version": CHANNEL_RULES_VERSION,
         "rules": [{"channel": rule.channel, "patterns": list(rule.patterns)} for rule in CHANNEL_RULES]},
        indent=2,
    )


def _code_version(snapshot: ConfigSnapshot | None) -> int:
    """The DEFAULT_CONFIG version a global snapshot was made from (0 when it names none)."""
    if snapshot is None:
        return -1
    try:
        stored = json.loads(snapshot.thresholds_yaml)
    except json.JSONDecodeError:
        return 0
    return stored.get("config_version", 0) if isinstance(stored, dict) else 0


def config_global() -> ConfigSnapshot:
    """The active global snapshot (no repository), made from DEFAULT_CONFIG on first use and
    again whenever the code's DEFAULT_CONFIG is newer than the one it holds."""
    active_global = ConfigSnapshot.objects.filter(repository__isnull=True, is_active=True)
    snapshot = active_global.first()
    if _code_version(snapshot) >= DEFAULT_CONFIG["config_version"]:
        return snapshot
    # The installation's default, of no organization: made as the system, whoever asks first.
    with transaction.atomic(), system_scope():
        _versions_lock()  # two first uses at once create one global snapshot
        snapshot = active_global.first()
        if _code_version(snapshot) >= DEFAULT_CONFIG["config_version"]:
            return snapshot
        active_global.update(is_active=False)
        snapshot = config_snapshot_add(snapshot=ConfigSnapshot(
            repository=None, thresholds_yaml=json.dumps(DEFAULT_CONFIG, indent=2, sort_keys=True),
            classification_rules_yaml=_rules_yaml(), is_active=True,
        ))
    return snapshot


def _merged(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def config_active(*, repository_id: int | None) -> tuple[int, dict[str, Any]]:
    """(config_version, thresholds) for the repository: the global snapshot with the
    repository's own overrides on top when it has some."""
    snapshot = config_global()
    version, thresholds = snapshot.config_version, json.loads(snapshot.thresholds_yaml)
    own = ConfigSnapshot.objects.filter(is_active=True, repository_id=repository_id).first() \
        if repository_id is not None else None
    if own is not None:
        try:
            stored = json.loads(own.thresholds_yaml)
        except json.JSONDecodeError:
            stored = None
        if isinstance(stored, dict) and "overrides" in stored:
            if stored.get("base_config_version") == snapshot.config_version:
                version, thresholds = own.config_version, _merged(thresholds, stored["overrides"])
        elif isinstance(stored, dict):
            version, thresholds = own.config_version, _merged(thresholds, stored)
    thresholds["config_version"] = version
    return version, thresholds


def config_repository_apply(
    *, repository: Repository, overrides: dict[str, Any], user: AbstractBaseUser | None = None, reason: str = ""
) -> ConfigSnapshot:
    """Make `overrides` (on top of the active global snapshot) the repository's active
    configuration, as a new snapshot; the previous one stays for the runs that used it."""
    base = config_global()
    with transaction.atomic():
        ConfigSnapshot.objects.filter(repository=repository, is_active=True).update(is_active=False)
        snapshot = config_snapshot_add(snapshot=ConfigSnapshot(
            repository=repository, is_active=True, classification_rules_yaml=_rules_yaml(),
            thresholds_yaml=json.dumps({"base_config_version": base.config_version, "reason": reason,
                                        "overrides": overrides}, indent=2, sort_keys=True),
        ))
        audit_record(user=user, action="triage.config_apply", resource_type="config_snapshot",
                     resource_id=snapshot.config_version, details={"repository": repository.full_name,
                                                                   "overrides": overrides, "reason": reason})
    return snapshot
