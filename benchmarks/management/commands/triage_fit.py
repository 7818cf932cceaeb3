"""python manage.py triage_fit PATH... [--cache DIR] — fit the same-change model and its threshold
on tuning repositories (the numbers DEFAULT_CONFIG carries), never on the held-out ones; the
fitted configuration is the JSON last line."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from benchmarks.duplicates.model_fit import choose_threshold, collect, fit_model
from benchmarks.duplicates.replay_run import replay_of, repository_name
from triage.duplicates.core.scoring import DEFAULT_CONFIG


class Command(BaseCommand):
    help = "Fit the same-change model and threshold on tuning repositories (JSON last line)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="tuning repositories: git clones or fetched mirrors")
        parser.add_argument("--cache", type=Path, help="signature cache folder (as triage_benchmark --cache)")

    def handle(self, *args: Any, **options: Any) -> None:
        replays = []
        for path in options["paths"]:
            for pull_heads in (False, True):
                with tqdm(desc=f"{repository_name(path)} items", file=sys.stderr) as bar:
                    replays.append(replay_of(path, name=repository_name(path), pull_heads=pull_heads,
                                             cache=options["cache"], progress=bar.update))
        config = copy.deepcopy(DEFAULT_CONFIG)
        config.setdefault("same_change_model", {"intercept": 0.0, "coefficients": {}})
        config["same_change"].setdefault("min_probability", 0.9)
        training = collect(replays, config)
        config["same_change_model"] = fit_model(training)
        threshold, figures = choose_threshold(training, config)
        config["same_change"]["min_probability"] = threshold
        config["tuned_on"] = sorted({replay.name for replay in replays})
        self.stdout.write(json.dumps({"fitted": config, "tuning_figures": figures}))
