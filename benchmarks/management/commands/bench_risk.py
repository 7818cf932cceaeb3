"""Time commit-risk training and single-commit prediction; JSON summary as the last line."""

import json

from django.core.management.base import BaseCommand, CommandParser

from benchmarks.risk.timing import risk_benchmark


class Command(BaseCommand):
    help = "Train on N synthetic commits and time predicting one commit with its evidence."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--synthetic", type=int, default=100_000, help="Number of synthetic commits.")
        parser.add_argument("--predictions", type=int, default=200)

    def handle(self, *args, **options) -> None:
        self.stdout.write(json.dumps(risk_benchmark(options["synthetic"], predictions=options["predictions"])))
