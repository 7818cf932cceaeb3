"""Config snapshots: the thresholds a run used, stored once per config_version."""

from __future__ import annotations

import json
from typing import Any

from ingestion.core.channels import CHANNEL_RULES, CHANNEL_RULES_VERSION
from triage.duplicates.core.scoring import DEFAULT_CONFIG
from triage.duplicates.models import ConfigSnapshot


def config_active(*, repository_id: int | None) -> tuple[int, dict[str, Any]]:
    """(config_version, thresholds) of the active snapshot for the repository, falling back to
    the global one, and creating the global snapshot of DEFAULT_CONFIG on first use."""
    snapshot = (
        ConfigSnapshot.objects.filter(is_active=True, repository_id=repository_id).first()
        or ConfigSnapshot.objects.filter(is_active=True, repository__isnull=True).first()
    )
    if snapshot is None:
        snapshot, _ = ConfigSnapshot.objects.get_or_create(
            config_version=DEFAULT_CONFIG["config_version"],
            defaults={
                "thresholds_yaml": json.dumps(DEFAULT_CONFIG, indent=2, sort_keys=True),
                "classification_rules_yaml": json.dumps(
                    {"version": CHANNEL_RULES_VERSION,
                     "rules": [{"channel": rule.channel, "patterns": list(rule.patterns)} for rule in CHANNEL_RULES]},
                    indent=2,
                ),
                "is_active": True,
            },
        )
    thresholds = json.loads(snapshot.thresholds_yaml)
    thresholds["config_version"] = snapshot.config_version
    return snapshot.config_version, thresholds
