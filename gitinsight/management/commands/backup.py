"""python manage.py backup [--out DIR]: dump the database (custom format plus a plain-SQL
schema) and prune backups past BACKUP_RETENTION_DAYS. The last line is a JSON summary."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import ngettext

from gitinsight.database.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database into BACKUP_DIR (or --out) and delete backups past retention."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", type=Path, help="Folder for the backup files (default: BACKUP_DIR).")

    def handle(self, *args, **options) -> None:
        try:
            run = backup_create(out_dir=options["out"])
        except BackupError as exc:
            raise CommandError(f"Backup failed: {exc}") from exc
        self.stdout.write(
            f"Backup of {run.database} written to {run.file} ({filesizeformat(run.size_bytes)}) "
            f"in {run.duration_s:.1f} s; "
            + ngettext("%(count)d expired file deleted.", "%(count)d expired files deleted.", run.pruned)
            % {"count": run.pruned}
        )
        self.stdout.write(json.dumps(asdict(run)))
