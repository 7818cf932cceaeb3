"""Config snapshots: the thresholds a run used, stored once per config_version. Versions are
given out here, never taken from a caller, and the global snapshot is the one without a
repository, looked up as such."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection, transaction
from django.db.models import Max

from gitinsight.database.tenant_scope import system_scope
from ingestion.core.channels import CHANNEL_RULES, CHANNEL_RULES_VERSION
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


def config_global() -> ConfigSnapshot:
    """The active global snapshot (no repository), created from DEFAULT_CONFIG on first use."""
    active_global = ConfigSnapshot.objects.filter(repository__isnull=True, is_active=True)
    snapshot = active_global.first()
    if snapshot is None:
        # The installation's default, of no organization: made as the system, whoever asks first.
        with transaction.atomic(), system_scope():
            _versions_lock()  # two first uses at once create one global snapshot
            snapshot = active_global.first() or config_snapshot_add(snapshot=ConfigSnapshot(
                repository=None,
                thresholds_yaml=json.dumps(DEFAULT_CONFIG, indent=2, sort_keys=True),
                classification_rules_yaml=json.dumps(
                    {"version": CHANNEL_RULES_VERSION,
                     "rules": [{"channel": rule.channel, "patterns": list(rule.patterns)} for rule in CHANNEL_RULES]},
                    indent=2,
                ),
                is_active=True,
            ))
    return snapshot


def config_active(*, repository_id: int | None) -> tuple[int, dict[str, Any]]:
    """(config_version, thresholds) of the repository's active snapshot, else of the global one."""
    snapshot = None
    if repository_id is not None:
        snapshot = ConfigSnapshot.objects.filter(repository_id=repository_id, is_active=True).first()
    snapshot = snapshot or config_global()
    thresholds = json.loads(snapshot.thresholds_yaml)
    thresholds["config_version"] = snapshot.config_version
    return snapshot.config_version, thresholds
