"""python manage.py triage_tune OWNER/NAME [--apply] — what maintainers' feedback would change.

`triage_tune OWNER/NAME` shows what the repository's confirmed and rejected verdicts move its
thresholds to, and what that would have done to every past verdict; `--apply` stores it.
The model and threshold DEFAULT_CONFIG carries are fitted by the benchmark command `triage_fit`.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ingestion.selectors import RepositoryNotFound, repository_by_full_name
from triage.duplicates.core.tuning import tune_from_feedback
from triage.duplicates.selectors import labelled_feedback
from triage.duplicates.services.config import config_active, config_repository_apply


class Command(BaseCommand):
    help = "Show (and with --apply store) the thresholds a repository's feedback moves to (JSON last line)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("repository", help="owner/name")
        parser.add_argument("--target", type=float, default=0.99, help="SAME_CHANGE precision wanted on feedback")
        parser.add_argument("--apply", action="store_true", help="store the moved thresholds for the repository")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            repository = repository_by_full_name(options["repository"])
        except RepositoryNotFound as exc:
            raise CommandError(f"No repository {options['repository']}.") from exc
        version, config = config_active(repository_id=repository.pk)
        feedback = labelled_feedback(repository_id=repository.pk)
        tuning = tune_from_feedback([entry.pair for entry in feedback], config, target=options["target"])
        for index, before, after, duplicate in tuning.changed:
            entry = feedback[index]
            said = "confirmed it" if duplicate else "rejected it"
            self.stdout.write(f"#{entry.pull_request} and #{entry.candidate}: {before} would become {after} "
                              f"(a maintainer {said}).")
        result: dict[str, Any] = {"repository": repository.full_name, "config_version": version,
                                  **tuning.summary(), "applied": False}
        if options["apply"]:
            if not feedback:
                raise CommandError("No feedback on this repository's verdicts yet: nothing to move.")
            snapshot = config_repository_apply(
                repository=repository, reason=f"feedback on {len(feedback)} verdicts",
                overrides={"calibration": tuning.config["calibration"],
                           "same_change": {"min_probability": tuning.config["same_change"]["min_probability"]}},
            )
            result.update(applied=True, new_config_version=snapshot.config_version)
        self.stdout.write(json.dumps(result))
