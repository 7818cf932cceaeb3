"""Measure the worst attribution error; the last line is JSON (see triage.failures.evaluation).

--cases DIR: labelled case folders. --stored [--repository ID]: stored FLAKY verdicts that
later re-runs of the same commit contradict."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from triage.failures.evaluation import evaluate_cases, stored_flaky_contradicted


class Command(BaseCommand):
    help = "Count real failures wrongly called FLAKY, on labelled cases or on stored verdicts."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--cases", help="folder of case folders (failed.log, facts.json, label.json)")
        group.add_argument("--stored", action="store_true", help="check stored FLAKY verdicts against later runs")
        parser.add_argument("--repository", type=int, default=None, help="with --stored: one repository id")

    def handle(self, *args, cases: str | None, stored: bool, repository: int | None, **options):
        if stored:
            self.stdout.write(json.dumps(stored_flaky_contradicted(repository)))
            return
        root = Path(cases)
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder")
        self.stdout.write(json.dumps(evaluate_cases(root).as_dict()))
