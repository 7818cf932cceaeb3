"""python manage.py restore FILE [--yes]: replace the configured database's contents with
a backup made by `backup`, in one transaction. Stop the web server and worker first.

python manage.py restore --to TIMESTAMP [--yes]: bring the embedded server back to the
moment TIMESTAMP (point-in-time recovery from the base backups and the WAL archive)."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from gitinsight.database.backups import BackupError, backup_check, backup_restore
from gitinsight.database.pitr import RecoveryError
from gitinsight.database.recovery import database_restore_to


class Command(BaseCommand):
    help = (
        "Restore a backup (.dump) into the configured database, replacing what is there; or, with --to, bring the "
        "embedded server back to a moment."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, nargs="?", help="A .dump file written by `manage.py backup`.")
        parser.add_argument(
            "--to", dest="to", type=datetime.fromisoformat,
            help="A moment with its offset (2026-12-07T13:45:00+00:00): point-in-time recovery of the embedded server.",
        )
        parser.add_argument(
            "--yes", "--noinput", "--no-input", action="store_true", dest="yes", help="Do not ask for confirmation."
        )

    def handle(self, *args, **options) -> None:
        if (options["file"] is None) == (options["to"] is None):
            raise CommandError("Give either a backup FILE or --to TIMESTAMP.")
        if options["to"] is not None:
            self._restore_to(options["to"], confirmed=options["yes"])
            return
        path: Path = options["file"]
        database = connection.settings_dict["NAME"]
        try:
            entries = backup_check(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not options["yes"]:
            self._confirm(f"Replace every table of database {database!r} with the contents of {path}?")
        started = time.monotonic()
        try:
            backup_restore(path=path)
        except BackupError as exc:
            raise CommandError(f"Restore failed, the database is unchanged: {exc}") from exc
        self.stdout.write(
            f"Restored {path.name} ({entries} archive entries) into {database} in {time.monotonic() - started:.1f} s. "
            "Run `manage.py migrate` if the backup predates the code."
        )

    def _restore_to(self, target: datetime, *, confirmed: bool) -> None:
        if not confirmed:
            self._confirm(f"Replace the whole embedded database server with its state at {target.isoformat()}?")
        started = time.monotonic()
        try:
            report = database_restore_to(target)
        except RecoveryError as exc:
            raise CommandError(f"Point-in-time recovery failed: {exc}") from exc
        self.stdout.write(
            f"The database is back at {report.target} (base backup {Path(report.base_backup).name}, then the WAL "
            f"archive) after {time.monotonic() - started:.1f} s. The data it replaced is kept in "
            f"{report.replaced_data_kept_in}; delete that folder once you are sure."
        )

    def _confirm(self, question: str) -> None:
        try:
            answer = input(f"{question} Type 'yes' to continue: ")
        except EOFError:
            answer = ""
        if answer.strip().lower() != "yes":
            raise CommandError("Restore cancelled; nothing was changed (pass --yes to skip this question).")
