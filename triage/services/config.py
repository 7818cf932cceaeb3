"""Config snapshots: the thresholds a run used, stored once per config_version.

The global snapshot is the code's DEFAULT_CONFIG (a newer one becomes active on first use). A
repository's snapshot holds only what its maintainers' feedback moved (`overrides`, applied on
top of the global snapshot it was tuned against); one tuned against an older global snapshot is
ignored until it is tuned again. A repository snapshot without `overrides` (written by hand)
replaces the keys it names.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max

from gitinsight.services.audit import audit_record
from ingestion.channels import CHANNEL_RULES, CHANNEL_RULES_VERSION
from ingestion.models import Repository
from triage.models import ConfigSnapshot
from triage.similarity.scoring import DEFAULT_CONFIG


def _rules_yaml() -> str:
    return json.dumps(
        {"version": CHANNEL_RULES_VERSION,
         "rules": [{"channel": rule.channel, "patterns": list(rule.patterns)} for rule in CHANNEL_RULES]},
        indent=2,
    )


def _global_snapshot() -> ConfigSnapshot:
    """The active global snapshot, made from DEFAULT_CONFIG when the code's is newer."""
    snapshot = ConfigSnapshot.objects.filter(is_active=True, repository__isnull=True).first()
    if snapshot is not None and snapshot.config_version >= DEFAULT_CONFIG["config_version"]:
        return snapshot
    with transaction.atomic():
        snapshot, _ = ConfigSnapshot.objects.get_or_create(
            config_version=DEFAULT_CONFIG["config_version"],
            defaults={"thresholds_yaml": json.dumps(DEFAULT_CONFIG, indent=2, sort_keys=True),
                      "classification_rules_yaml": _rules_yaml(), "is_active": True},
        )
        ConfigSnapshot.objects.filter(repository__isnull=True, is_active=True).exclude(pk=snapshot.pk) \
            .update(is_active=False)
        if not snapshot.is_active:
            snapshot.is_active = True
            snapshot.save(update_fields=["is_active"])
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
    snapshot = _global_snapshot()
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


@transaction.atomic
def config_repository_apply(
    *, repository: Repository, overrides: dict[str, Any], user: AbstractBaseUser | None = None, reason: str = ""
) -> ConfigSnapshot:
    """Make `overrides` (on top of the active global snapshot) the repository's active
    configuration, as a new snapshot; the previous one stays for the runs that used it."""
    base = _global_snapshot()
    latest = ConfigSnapshot.objects.select_for_update().aggregate(latest=Max("config_version"))["latest"] or 0
    ConfigSnapshot.objects.filter(repository=repository, is_active=True).update(is_active=False)
    snapshot = ConfigSnapshot.objects.create(
        config_version=latest + 1, repository=repository, is_active=True, classification_rules_yaml=_rules_yaml(),
        thresholds_yaml=json.dumps({"base_config_version": base.config_version, "reason": reason,
                                    "overrides": overrides}, indent=2, sort_keys=True),
    )
    audit_record(user=user, action="triage.config_apply", resource_type="config_snapshot",
                 resource_id=snapshot.config_version, details={"repository": repository.full_name,
                                                               "overrides": overrides, "reason": reason})
    return snapshot
