"""python manage.py triage_tune OWNER/NAME — SAME_CHANGE precision on maintainer feedback."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ingestion.selectors import RepositoryNotFound, repository_by_full_name
from triage.duplicates.core.tuning import tune_same_change
from triage.duplicates.selectors import labelled_pairs
from triage.duplicates.services.config import config_active


class Command(BaseCommand):
    help = "Measure SAME_CHANGE precision on triage feedback and suggest a threshold (JSON last line)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("repository", help="owner/name")
        parser.add_argument("--target", type=float, default=0.99)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            repository = repository_by_full_name(options["repository"])
        except RepositoryNotFound as exc:
            raise CommandError(f"No repository {options['repository']}.") from exc
        version, config = config_active(repository_id=repository.pk)
        result = tune_same_change(labelled_pairs(repository_id=repository.pk), config, target=options["target"])
        self.stdout.write(json.dumps({"config_version": version, **result}))
