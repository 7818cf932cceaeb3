"""python manage.py bench_triage --synthetic 100000 — retrieval latency on the Postgres index."""

from __future__ import annotations

import json
import random
import sys
import time
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from benchmarks.duplicates.synthetic_fill import synthetic_repository_fill
from gitinsight.database.owner import as_owner
from triage.duplicates.core.retrieval import rank
from triage.duplicates.selectors import candidate_signatures


class Command(BaseCommand):
    help = "Index N synthetic PR heads in Postgres and time candidate retrieval + scoring (JSON last line)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--synthetic", type=int, required=True, help="number of indexed PR heads")
        parser.add_argument("--queries", type=int, default=200)
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args: Any, **options: Any) -> None:
        heads, seed = options["synthetic"], options["seed"]
        with tqdm(total=heads, desc="index", file=sys.stderr) as bar:
            repository, generated = synthetic_repository_fill(heads=heads, seed=seed, progress=bar.update)
        with as_owner() as owner, owner.cursor() as cursor:  # statistics are the tables' owner's to gather
            for table in ("lsh_bucket_entries", "pr_changed_paths", "pr_symbols", "pr_channel_signatures"):
                cursor.execute(f"ANALYZE {table}")
        chooser = random.Random(seed + 1)
        from benchmarks.duplicates.synthetic import SyntheticHistory

        history = SyntheticHistory(seed + 2)
        latencies, found = [], 0
        for _ in tqdm(range(options["queries"]), desc="queries", file=sys.stderr):
            original = chooser.randrange(heads)
            signature = history.near_duplicate(generated[original]).signature()
            started = time.perf_counter()
            found_heads = candidate_signatures(repository_id=repository.pk, signature=signature)
            matches = rank(signature, [(head, stored, None) for head, _, stored in found_heads], limit=10)
            latencies.append((time.perf_counter() - started) * 1000.0)
            found += any(match.item_id[1] == f"{original + 1:040x}" for match in matches)
        result = {
            "indexed_heads": heads,
            "queries": len(latencies),
            "p50_ms": round(float(np.percentile(latencies, 50)), 2),
            "p95_ms": round(float(np.percentile(latencies, 95)), 2),
            "planted_duplicate_recall_at_10": round(found / len(latencies), 4),
        }
        self.stdout.write(json.dumps(result))
