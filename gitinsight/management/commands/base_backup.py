"""python manage.py base_backup: a base backup of the embedded server for point-in-time
recovery (also daily, schedule "platform: base backup for point-in-time recovery")."""

from __future__ import annotations

import json
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError

from gitinsight.database.pitr import RecoveryError
from gitinsight.database.recovery import base_backup_take


class Command(BaseCommand):
    help = "Take a base backup of the embedded server into BASE_BACKUP_DIR and prune expired ones."

    def handle(self, *args, **options) -> None:
        try:
            backup = base_backup_take()
        except RecoveryError as exc:
            raise CommandError(f"Base backup failed: {exc}") from exc
        self.stdout.write(f"Base backup written to {backup.path}; recovery can reach any moment after "
                          f"{backup.finished_at}.")
        self.stdout.write(json.dumps(asdict(backup)))
