"""python manage.py triage_benchmark PATH [PATH ...] — duplicate detection on clones' histories."""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from benchmarks.duplicates.history import HistoryError
from benchmarks.duplicates.replay import replay_load, replay_search
from benchmarks.duplicates.replay_run import Replay, measure, replay_of, repository_name
from triage.duplicates.core.scoring import ALGORITHM_VERSION, DEFAULT_CONFIG
from triage.duplicates.core.signature import SIGNATURE_VERSION
from triage.duplicates.selectors import signature_cache


class Command(BaseCommand):
    help = ("Replay git histories (and their pull request heads) as pseudo pull requests and score "
            "duplicate detection per repository (one JSON line each, a summary JSON line last).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="git clones or fetched mirrors (work tree or bare)")
        parser.add_argument("--pull-heads", choices=("without", "with", "both"), default="without",
                            help="index the real pull request heads (refs/pull/<n>/head) of a fetched mirror too")
        parser.add_argument("--cache", type=Path, help="folder to keep computed signatures between runs")
        parser.add_argument("--config", type=Path, help="JSON thresholds to measure instead of the defaults")
        parser.add_argument("--fp-sample", type=int, default=4000, help="unrelated same-file pairs to score")
        parser.add_argument("--show-misses", action="store_true", help="print queries whose original is not first")
        parser.add_argument(
            "--postgres",
            action="store_true",
            help="retrieve through the Postgres index tables instead of the in-memory index",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        config = DEFAULT_CONFIG
        if options["config"] is not None:
            config = json.loads(options["config"].read_text())
        modes = {"without": [False], "with": [True], "both": [False, True]}[options["pull_heads"]]
        results = []
        for path in options["paths"]:
            for pull_heads in modes:
                results.append(self._one(path, pull_heads, config, options))
                self.stdout.write(json.dumps(results[-1]))
        summary = {
            "signature_version": SIGNATURE_VERSION, "algorithm_version": ALGORITHM_VERSION,
            "config_version": config["config_version"], "tuned_on": config.get("tuned_on", []),
            "index": "postgres" if options["postgres"] else "memory",
            "repositories": {f"{r['repository']}{' +heads' if r['pull_heads'] else ''}": _headline(r)
                             for r in results},
        }
        self.stdout.write(json.dumps(summary))

    def _one(self, path: Path, pull_heads: bool, config: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
        name = repository_name(path)
        try:
            with tqdm(desc=f"{name} items", unit=" items", file=sys.stderr) as bar:
                replay = replay_of(path, name=name, pull_heads=pull_heads, cache=options["cache"],
                                   progress=bar.update)
        except HistoryError as error:
            raise CommandError(str(error)) from error
        search = self._postgres_search(replay, config) if options["postgres"] else None
        # the replay's items stay in memory for the whole run, as no service holds them: keep the
        # collector from walking them again and again while queries are timed
        gc.collect()
        gc.freeze()
        load_before = os.getloadavg()[0]
        with tqdm(total=len(replay.items), desc=f"{name} replay", file=sys.stderr) as bar:
            figures = measure(replay, config=config, search=search, fp_sample=options["fp_sample"],
                              progress=bar.update)
        figures["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
        examples = figures.pop("_fp_examples")
        if options["show_misses"]:
            self._show_misses(replay, examples)
        result = {
            "repository": name, "path": str(path), "pull_heads": pull_heads,
            "split": "tuning" if name in config.get("tuned_on", []) else "held-out",
            "index": "postgres" if options["postgres"] else "memory",
            "items": len(replay.items), "indexed": sum(replay.truth.indexed(i) for i in range(len(replay.items))),
            "heads_skipped": replay.skipped_heads,
            "signature_version": SIGNATURE_VERSION, "algorithm_version": ALGORITHM_VERSION,
            "config_version": config["config_version"],
            **figures,
        }
        if options["postgres"]:
            # latency is candidates + stored signatures + scoring; decoded signatures are reused
            # across queries as in a long-running worker, so say how often
            result["signature_cache_hits"] = signature_cache.hits
            result["signature_cache_misses"] = signature_cache.misses
        return result

    def _postgres_search(self, replay: Replay, config: dict[str, Any]) -> Callable:
        positions = [i for i in range(len(replay.items)) if replay.truth.indexed(i)]
        with tqdm(total=len(positions), desc=f"{replay.name} load into postgres", file=sys.stderr) as bar:
            ids = replay_load(items=[replay.items[i] for i in positions],
                              name=f"{replay.name}-{replay.fingerprint}", progress=bar.update)
        return replay_search(dict(zip(positions, ids, strict=True)), config)

    def _show_misses(self, replay: Replay, examples: list[tuple[str, str, str]]) -> None:
        items = replay.items
        for query in replay.queries:
            if query.rank != 1:
                self.stdout.write(
                    f"miss tier={query.tier} kind={query.kind} rank={query.rank} "
                    f"query={items[query.backport].sha[:10]} "
                    f"originals={[items[j].sha[:10] for j in query.originals]} top={query.top}"
                )
        for query in replay.queries:
            if query.wrong_same_change:
                self.stdout.write(f"same-change outside truth query={items[query.backport].sha[:10]} "
                                  f"heads={query.wrong_same_change}")
        for example in examples:
            self.stdout.write(f"false positive {example}")


def _headline(result: dict[str, Any]) -> dict[str, Any]:
    """The figures the targets name, for the summary line."""
    return {
        "split": result["split"], "queries": result["all"]["n"], "p_at_1": result["all"]["p_at_1"],
        "p_at_1_strict": result["all_strict"]["p_at_1"], "hard_n": result["hard"]["n"],
        "hard_p_at_1": result["hard"]["p_at_1"], "hard_r_at_5": result["hard"]["r_at_5"],
        "same_change_precision": result["same_change_precision"],
        "same_change_precision_strict": result["same_change_precision_strict"],
        "same_change_precision_strict_with_copies": result["same_change_precision_strict_with_copies"],
        "fp_same_change_rate_same_file": result["fp_same_change_rate_same_file"],
        "p50_ms": result["p50_ms"], "p95_ms": result["p95_ms"],
        "cpu_p50_ms": result["cpu_p50_ms"], "cpu_p95_ms": result["cpu_p95_ms"],
        "load_average": result["load_average"],
    }
