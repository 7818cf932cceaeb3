"""Measure the worst attribution error; the last line is JSON (see benchmarks.failures.attribution).

--cases DIR: labelled case folders. --stored [--repository ID]: stored FLAKY verdicts that
later re-runs of the same commit contradict. --logchunks DIR [--logs-dir DIR] or --marked DIR:
how often fingerprints make different labelled failures look the same, so that a real
failure would be called FLAKY (see benchmarks.failures.fingerprints)."""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from benchmarks.failures.attribution import evaluate_cases, stored_flaky_contradicted
from benchmarks.failures.fingerprints import run_fingerprint_evaluation
from benchmarks.failures.root_causes import BenchmarkDataError


class Command(BaseCommand):
    help = "Count real failures wrongly called FLAKY, on labelled cases, on stored verdicts or on labelled logs."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--cases", help="folder of case folders (failed.log, facts.json, label.json)")
        group.add_argument("--stored", action="store_true", help="check stored FLAKY verdicts against later runs")
        group.add_argument("--logchunks", type=Path,
                           help="LogChunks folder (labels/ and logs.tar.xz): fingerprints of different failures "
                                "that collide within a repository")
        group.add_argument("--marked", type=Path,
                           help="folder of logs with one #=MATCH=# cause line each, all compared with each other")
        parser.add_argument("--repository", type=int, default=None, help="with --stored: one repository id")
        parser.add_argument("--logs-dir", type=Path, default=None,
                            help="with --logchunks: where the logs are (unpacked there if empty); "
                                 "default .cache/logchunks")

    def handle(self, *args, cases: str | None, stored: bool, repository: int | None, **options):
        if stored:
            self.stdout.write(json.dumps(stored_flaky_contradicted(repository)))
            return
        if options.get("logchunks") or options.get("marked"):
            self.stdout.write(json.dumps(self._fingerprints(options)))
            return
        root = Path(cases)
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder")
        self.stdout.write(json.dumps(evaluate_cases(root).as_dict()))

    def _fingerprints(self, options) -> dict:
        kind = "logchunks" if options.get("logchunks") else "marked"
        directory = options[kind]
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder")
        logs_dir = options.get("logs_dir") or Path(settings.BASE_DIR) / ".cache" / "logchunks"
        try:
            return run_fingerprint_evaluation(
                kind=kind, directory=directory, logs_dir=logs_dir,
                progress=lambda items: tqdm(items, total=len(items), file=sys.stderr, disable=None, unit="log"),
            )
        except BenchmarkDataError as error:
            raise CommandError(str(error)) from error
