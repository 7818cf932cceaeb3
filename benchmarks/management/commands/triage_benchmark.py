"""python manage.py triage_benchmark PATH — duplicate detection on a clone's cherry-picks."""

from __future__ import annotations

import json
import pickle
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from benchmarks.duplicates.evaluate import queries_of, report, run_queries, same_file_false_positive_rate
from benchmarks.duplicates.history import HistoryError, PseudoPullRequest, read_history
from benchmarks.duplicates.replay import replay_load, replay_search
from triage.duplicates.core.scoring import ALGORITHM_VERSION, DEFAULT_CONFIG
from triage.duplicates.core.signature import SIGNATURE_VERSION
from triage.duplicates.selectors import signature_cache


class Command(BaseCommand):
    help = "Replay a git clone's history as pseudo pull requests and score backport retrieval (JSON last line)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a git clone (work tree or bare)")
        parser.add_argument("--cache", type=Path, help="pickle file to reuse computed signatures between runs")
        parser.add_argument("--fp-sample", type=int, default=4000, help="unrelated same-file pairs to score")
        parser.add_argument("--show-misses", action="store_true", help="print queries whose original is not first")
        parser.add_argument(
            "--postgres",
            action="store_true",
            help="retrieve through the Postgres index tables instead of the in-memory index",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        items = self._items(options["path"], options["cache"])
        queries = queries_of(items)
        search = None
        if options["postgres"]:
            with tqdm(total=len(items), desc="load into postgres", file=sys.stderr) as bar:
                pull_request_ids = replay_load(items=items, name=options["path"].name, progress=bar.update)
            search = replay_search(pull_request_ids)
        with tqdm(total=len(items), desc="replay", file=sys.stderr) as bar:
            queries, *verdicts = run_queries(items, queries, progress=bar.update, search=search)
        fp_rate, fp_checked, fp_examples = same_file_false_positive_rate(items, sample=options["fp_sample"])
        if options["show_misses"]:
            for query in queries:
                if query.rank != 1:
                    self.stdout.write(
                        f"miss tier={query.tier} rank={query.rank} backport={items[query.backport].sha[:10]} "
                        f"originals={[items[j].sha[:10] for j in query.originals]} top={query.top}"
                    )
            for query in queries:
                if query.wrong_same_change:
                    self.stdout.write(
                        f"same-change outside truth backport={items[query.backport].sha[:10]} "
                        f"heads={query.wrong_same_change}"
                    )
            for example in fp_examples:
                self.stdout.write(f"false positive {example}")
        result = {
            "repository": str(options["path"]),
            "index": "postgres" if options["postgres"] else "memory",
            "items": len(items),
            "signature_version": SIGNATURE_VERSION,
            "algorithm_version": ALGORITHM_VERSION,
            "config_version": DEFAULT_CONFIG["config_version"],
            **report(queries, *verdicts),
            "fp_rate_same_file": round(fp_rate, 5),
            "fp_pairs_checked": fp_checked,
        }
        if options["postgres"]:
            # latency is candidates + stored signatures + scoring; decoded signatures are reused
            # across queries as in a long-running worker, so say how often
            result["signature_cache_hits"] = signature_cache.hits
            result["signature_cache_misses"] = signature_cache.misses
        self.stdout.write(json.dumps(result))

    def _items(self, path: Path, cache: Path | None) -> list[PseudoPullRequest]:
        if cache is not None and cache.exists():
            with cache.open("rb") as stream:
                # a file this command wrote itself (--cache), never downloaded data
                cached = pickle.load(stream)  # noqa: S301
            if cached.get("signature_version") == SIGNATURE_VERSION and cached.get("path") == str(path):
                return cached["items"]
        try:
            with tqdm(desc="signatures", unit=" commits", file=sys.stderr) as bar:
                items = read_history(path, progress=bar.update)
        except HistoryError as error:
            raise CommandError(str(error)) from error
        if cache is not None:
            with cache.open("wb") as stream:
                pickle.dump({"signature_version": SIGNATURE_VERSION, "path": str(path), "items": items}, stream)
        return items
