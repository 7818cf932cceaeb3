"""python manage.py triage_tune OWNER/NAME [--apply] — what maintainers' feedback would change.

`triage_tune OWNER/NAME` shows what the repository's confirmed and rejected verdicts move its
thresholds to, and what that would have done to every past verdict; `--apply` stores it.
`triage_tune --fit PATH ...` fits the same-change model and threshold on tuning repositories
(the numbers DEFAULT_CONFIG carries), never on the held-out ones.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ingestion.models import Repository
from triage.selectors import labelled_feedback
from triage.services.config import config_active, config_repository_apply
from triage.similarity.scoring import DEFAULT_CONFIG
from triage.similarity.tuning import tune_from_feedback


class Command(BaseCommand):
    help = "Show (and with --apply store) the thresholds a repository's feedback moves to (JSON last line)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("repository", nargs="?", help="owner/name")
        parser.add_argument("--target", type=float, default=0.99, help="SAME_CHANGE precision wanted on feedback")
        parser.add_argument("--apply", action="store_true", help="store the moved thresholds for the repository")
        parser.add_argument("--fit", nargs="+", type=Path, metavar="PATH",
                            help="fit the same-change model on these tuning repositories instead")
        parser.add_argument("--cache", type=Path, help="signature cache folder (as triage_benchmark --cache)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["fit"]:
            self._fit(options["fit"], options["cache"])
            return
        if not options["repository"]:
            raise CommandError("Name a repository (owner/name), or give --fit PATH ...")
        repository = Repository.objects.filter(full_name__iexact=options["repository"]).first()
        if repository is None:
            raise CommandError(f"No repository {options['repository']}.")
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

    def _fit(self, paths: list[Path], cache: Path | None) -> None:
        from triage.benchmark.model_fit import choose_threshold, collect, fit_model
        from triage.benchmark.replay_run import replay_of, repository_name

        replays = []
        for path in paths:
            for pull_heads in (False, True):
                with tqdm(desc=f"{repository_name(path)} items", file=sys.stderr) as bar:
                    replays.append(replay_of(path, name=repository_name(path), pull_heads=pull_heads, cache=cache,
                                             progress=bar.update))
        config = copy.deepcopy(DEFAULT_CONFIG)
        config.setdefault("same_change_model", {"intercept": 0.0, "coefficients": {}})
        config["same_change"].setdefault("min_probability", 0.9)
        training = collect(replays, config)
        config["same_change_model"] = fit_model(training)
        threshold, figures = choose_threshold(training, config)
        config["same_change"]["min_probability"] = threshold
        config["tuned_on"] = sorted({replay.name for replay in replays})
        self.stdout.write(json.dumps({"fitted": config, "tuning_figures": figures}))
