"""python manage.py import_gharchive FILE... [--all]: import GH Archive hourly dumps
(https://www.gharchive.org/, e.g. 2015-01-01-15.json.gz). Progress goes to stderr; the
last line of stdout is a JSON summary."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ingestion.services.gharchive import ArchiveFormatError, archive_events, archive_import


class Command(BaseCommand):
    help = "Import GH Archive .json.gz dumps: events of tracked repositories (or --all), once per event id."

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--all", action="store_true", help="Also import events of repositories not tracked yet.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options) -> None:
        files: list[Path] = options["files"]
        missing = [str(path) for path in files if not path.is_file()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")
        bar = tqdm(desc="events", unit=" events", disable=options["no_progress"], file=self.stderr._out)

        def events() -> Iterator[dict]:
            for path in files:
                bar.set_postfix_str(path.name, refresh=False)
                yield from archive_events(path)

        started = time.perf_counter()
        try:
            stats = archive_import(events(), everything=options["all"], on_event=bar.update)
        except ArchiveFormatError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        seconds = time.perf_counter() - started
        summary = {"files": len(files), **stats.as_dict(), "seconds": round(seconds, 2),
                   "events_per_s": round(stats.events / seconds, 1) if seconds else None}
        self.stdout.write(json.dumps(summary))
