"""python manage.py restore FILE [--yes]: replace the configured database's contents with
a backup made by `backup`, in one transaction. Stop the web server and worker first."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from gitinsight.database.backups import BackupError, backup_check, backup_restore


class Command(BaseCommand):
    help = "Restore a backup (.dump) into the configured database, replacing what is there."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="A .dump file written by `manage.py backup`.")
        parser.add_argument(
            "--yes", "--noinput", "--no-input", action="store_true", dest="yes", help="Do not ask for confirmation."
        )

    def handle(self, *args, **options) -> None:
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

    def _confirm(self, question: str) -> None:
        try:
            answer = input(f"{question} Type 'yes' to continue: ")
        except EOFError:
            answer = ""
        if answer.strip().lower() != "yes":
            raise CommandError("Restore cancelled; nothing was changed (pass --yes to skip this question).")
